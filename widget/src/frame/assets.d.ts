/** Vite's `?url` imports: the built file's address (the emoji data, fetched only when the picker opens). */
declare module '*?url' {
  const url: string;
  export default url;
}
