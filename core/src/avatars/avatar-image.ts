import sharp from 'sharp';
import { fieldError } from '../http/errors.ts';
import { sniffFile } from '../files/file-types.ts';
import { MAX_IMAGE_PIXELS } from '../files/image-processor.ts';

/** AVATAR-UPLOAD-2: the upload cap, the smallest accepted side and the served size. */
export const AVATAR_MAX_BYTES = 200 * 1024;
export const AVATAR_MIN_SIDE = 64;
export const AVATAR_SIZE = 96;

/**
 * Checks an uploaded avatar (PNG, JPEG, GIF or WebP by content, at least
 * 64×64) and returns it centre-cropped to a 96×96 WebP of its first frame.
 * Every refusal names the `file` field.
 */
export async function processAvatar(path: string, name: string): Promise<Buffer> {
  const sniffed = await sniffFile(path, name, ['images']);
  if (!sniffed.ok || !['png', 'jpg', 'gif', 'webp'].includes(sniffed.file.type))
    throw fieldError('file', 'unsupported_image', 'An avatar is a PNG, JPEG, GIF or WebP image');
  const opts = { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' as const };
  const meta = await sharp(path, opts)
    .metadata()
    .catch(() => {
      throw fieldError('file', 'unsupported_image', 'The image cannot be decoded');
    });
  // EXIF orientation may swap the sides; the smaller one is what counts either way.
  const height = meta.pageHeight ?? meta.height ?? 0;
  if (Math.min(meta.width ?? 0, height) < AVATAR_MIN_SIDE)
    throw fieldError('file', 'image_too_small', `An avatar is at least ${AVATAR_MIN_SIDE}×${AVATAR_MIN_SIDE} pixels`);
  return sharp(path, opts).rotate().resize(AVATAR_SIZE, AVATAR_SIZE, { fit: 'cover', position: 'centre' }).webp({ quality: 85 }).toBuffer();
}
