/** Where an avatar image is served: its random key is the only name (AVATAR-UPLOAD-2). Kept import-free: the session code uses it. */
export const avatarUrl = (key: string | null | undefined) => (key ? `/avatars/${key}` : null);
