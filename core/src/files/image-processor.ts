import sharp from 'sharp';

/** CONV-IMAGE-17: bigger images are refused rather than decoded. */
export const MAX_IMAGE_PIXELS = 40_000_000;
/** Longest side of a thumbnail (CONV-IMAGE-17). */
export const THUMB_SIZE = 240;

export interface ProcessedImage {
  width: number;
  height: number;
  size: number;
}

/**
 * Decodes the upload and writes a re-encoded copy (EXIF orientation applied,
 * metadata — location included — dropped, since sharp keeps none unless asked)
 * and a WebP thumbnail of the first frame. Whatever does not decode as the
 * detected image type throws, so nothing else can pass as an image.
 */
export async function processImage(input: string, type: string, out: { image: string; thumb: string }): Promise<ProcessedImage> {
  const animated = type === 'gif' || type === 'webp';
  const opts = { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' as const, animated };
  let pipeline = sharp(input, opts).rotate();
  if (type === 'jpg') pipeline = pipeline.jpeg({ quality: 88, mozjpeg: true });
  else if (type === 'png') pipeline = pipeline.png();
  else if (type === 'gif') pipeline = pipeline.gif();
  else pipeline = pipeline.webp({ quality: 90 });
  const info = await pipeline.toFile(out.image);
  // `pageHeight` is the height of one frame of an animation; `height` is all frames stacked.
  const height = info.pageHeight ?? info.height;
  await sharp(input, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' })
    .rotate()
    .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80 })
    .toFile(out.thumb);
  return { width: info.width, height, size: info.size };
}
