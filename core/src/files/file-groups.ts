/**
 * The groups a company may allow (CONV-FILE-14); all on by default. A module of its own, free of Node imports,
 * because the chat settings schema that lists them is compiled by the console too.
 */
export const FILE_GROUPS = ['documents', 'images', 'archives', 'media'] as const;
export type FileGroup = (typeof FILE_GROUPS)[number];
