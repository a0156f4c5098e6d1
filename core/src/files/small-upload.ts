import type http from 'node:http';
import { AppError, fieldError } from '../http/errors.ts';
import type { FileStorage } from './file-storage.ts';
import { receiveUpload } from './multipart-upload.ts';

/**
 * Receives one small multipart image `file` (an avatar, a chat-window image, the logo) into a
 * temporary file, hands it to `use` and removes it afterwards, whatever happens.
 * `what` names the upload in the size refusal, e.g. "An avatar".
 */
export async function withSmallUpload<T>(
  storage: FileStorage,
  req: http.IncomingMessage,
  maxBytes: number,
  what: string,
  use: (path: string, name: string) => Promise<T>,
): Promise<T> {
  const temp = await storage.tempPath();
  try {
    const received = await receiveUpload(req, temp, maxBytes).catch((err) => {
      // The shared message counts megabytes; these caps are a fraction of one.
      if (err instanceof AppError && err.extra.fields?.some((f) => f.code === 'file_too_large'))
        throw fieldError('file', 'image_too_large', `${what} is at most ${maxBytes / 1024} KB`);
      throw err;
    });
    if (!received.file?.size) throw fieldError('file', 'required', 'Attach an image in the field named file');
    return await use(temp, received.file.name);
  } finally {
    await storage.remove(temp);
  }
}
