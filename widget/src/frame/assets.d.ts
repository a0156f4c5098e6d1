/** Vite's `?url` imports: the built file's address (the emoji data, fetched only when the picker opens). */
declare module '*?url' {
  const url: string;
  export default url;
}
/** Vite's `?inline` imports: a stylesheet as text, for a shadow root (the invitation, widget/src/invite). */
declare module '*?inline' {
  const text: string;
  export default text;
}
