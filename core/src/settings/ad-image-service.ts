import { readFile } from 'node:fs/promises';
import type http from 'node:http';
import sharp from 'sharp';
import { inject, injectable } from '../infra/di.ts';
import { TOKENS } from '../tokens.ts';
import type { Db } from '../infra/db.ts';
import { randomToken } from '../infra/crypto.ts';
import { fieldError, notFound } from '../http/errors.ts';
import { FileStorage } from '../files/file-storage.ts';
import { sniffFile } from '../files/file-types.ts';
import { MAX_IMAGE_PIXELS } from '../files/image-processor.ts';
import { withSmallUpload } from '../files/small-upload.ts';
import { Tenant } from '../tenancy/tenant.ts';
import type { WidgetSettings } from './widget-settings-schema.ts';

/** WINDOW-AD-3: the upload cap of the advertisement image. */
export const AD_MAX_BYTES = 512 * 1024;
const AD_TYPES = ['png', 'jpg', 'gif', 'webp'];

/** Where the advertisement image is served; its random key is the only name. */
export const adImageUrl = (key: string) => `/ad-images/${key}`;

/** Checks an upload is a decodable PNG, JPEG, GIF or WebP by its content (STYLE-UPLOAD-5); every refusal names the `file` field. */
export async function checkUploadedImage(path: string, name: string, what = 'The advertisement') {
  const sniffed = await sniffFile(path, name, ['images']);
  if (!sniffed.ok || !AD_TYPES.includes(sniffed.file.type)) throw fieldError('file', 'file_type_not_allowed', `${what} is a PNG, JPEG, GIF or WebP image`);
  await sharp(path, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' })
    .metadata()
    .catch(() => {
      throw fieldError('file', 'file_type_not_allowed', 'The image cannot be decoded');
    });
  return { mime: sniffed.file.mime, data: await readFile(path) };
}

/**
 * The chat window's advertisement image (WINDOW-AD-3): stored as uploaded, named
 * by the widget settings' `ad.image`, deleted once the settings stop naming it.
 */
@injectable()
export class AdImageService {
  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(FileStorage) private readonly storage: FileStorage,
  ) {}

  /** Receives one multipart `file`, checks and stores it; returns its key. */
  async upload(req: http.IncomingMessage, companyId: number): Promise<string> {
    const image = await withSmallUpload(this.storage, req, AD_MAX_BYTES, 'The advertisement image', checkUploadedImage);
    const key = randomToken(24);
    await new Tenant(this.db, companyId).insert('ad_images', { key, ...image });
    return key;
  }

  /** A saved document may only name an image this company uploaded. */
  async check(t: Tenant, s: WidgetSettings) {
    if (s.ad.image && !(await t.q('ad_images').where({ key: s.ad.image }).first('key')))
      throw fieldError('settings.ad.image', 'unknown_image', 'No such uploaded image in this company');
  }

  /** A replaced image is no longer shown anywhere: its address stops working with it. */
  async dropReplaced(t: Tenant, before: WidgetSettings, after: WidgetSettings) {
    if (before.ad.image && before.ad.image !== after.ad.image) await t.q('ad_images').where({ key: before.ad.image }).delete();
  }

  /** The image behind a key, from any company: the key itself is the secret. */
  async image(key: string): Promise<{ mime: string; data: Buffer }> {
    const row = await this.db('ad_images').where({ key }).first('mime', 'data');
    if (!row) throw notFound('No such image');
    return { mime: row.mime, data: Buffer.from(row.data) };
  }
}
