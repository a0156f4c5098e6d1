import { readFile } from 'node:fs/promises';
import type http from 'node:http';
import sharp from 'sharp';
import { inject, injectable } from '../infra/di.ts';
import { TOKENS, type Clock } from '../tokens.ts';
import type { Db } from '../infra/db.ts';
import { randomToken } from '../infra/crypto.ts';
import { fieldError, notFound } from '../http/errors.ts';
import { FileStorage } from '../files/file-storage.ts';
import { sniffFile } from '../files/file-types.ts';
import { MAX_IMAGE_PIXELS } from '../files/image-processor.ts';
import { withSmallUpload } from '../files/small-upload.ts';
import { Tenant } from '../tenancy/tenant.ts';
import { readWidgetSettings, type WidgetSettings } from './widget-settings-schema.ts';

export type StyleImageKind = 'ad' | 'logo' | 'icon' | 'invite';
/** The uploaded images of the chat window, icons and invitation (STYLE-UPLOAD-5) and their caps: WINDOW-AD-3, WINDOW-BRAND-6, ICON-IMAGE-4, INVITE-STYLE-6. */
export const STYLE_IMAGES: Record<StyleImageKind, { maxBytes: number; what: string; maxSide?: number }> = {
  ad: { maxBytes: 512 * 1024, what: 'The advertisement image' },
  logo: { maxBytes: 200 * 1024, what: 'The logo' },
  icon: { maxBytes: 200 * 1024, what: 'The icon image', maxSide: 600 },
  invite: { maxBytes: 300 * 1024, what: 'The invitation background' },
};
/** Where an image is named: the field (for errors), its kind and its key. */
export type ImageRef = [path: string, kind: StyleImageKind, key: string | null];
/** Lists the image keys a company's records name besides the widget settings (the icons), so the sweep keeps them. */
export type ImageUser = (t: Tenant) => Promise<string[]>;
const IMAGE_TYPES = ['png', 'jpg', 'gif', 'webp'];
/** An upload no saved setting has named for this long is dropped. */
const UNUSED_MS = 24 * 3_600_000;

/** Where an uploaded image is served; its random key is the only name. */
export const styleImageUrl = (key: string) => `/style-images/${key}`;

/** The images a settings document shows: the field that names each, its kind and its key. */
const named = (s: WidgetSettings): ImageRef[] => [
  ['settings.ad.image', 'ad', s.ad.image],
  ['settings.style.logo', 'logo', s.style.logo],
  ['settings.invite.style.image', 'invite', s.invite.style.image],
];
export const keysOf = (refs: ImageRef[]) => refs.flatMap(([, , key]) => (key ? [key] : []));

/** Checks an upload is a decodable PNG, JPEG, GIF or WebP by its content (STYLE-UPLOAD-5); every refusal names the `file` field. */
export async function checkUploadedImage(path: string, name: string, what = 'The image', maxSide?: number) {
  const sniffed = await sniffFile(path, name, ['images']);
  if (!sniffed.ok || !IMAGE_TYPES.includes(sniffed.file.type)) throw fieldError('file', 'unsupported_image', `${what} is a PNG, JPEG, GIF or WebP image`);
  const size = await sharp(path, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' })
    .metadata()
    .catch(() => {
      throw fieldError('file', 'unsupported_image', 'The image cannot be decoded');
    });
  if (maxSide && ((size.width ?? 0) > maxSide || (size.height ?? 0) > maxSide))
    throw fieldError('file', 'image_dimensions_too_large', `${what} is at most ${maxSide}×${maxSide} px`);
  return { mime: sniffed.file.mime, data: await readFile(path) };
}

/**
 * The chat window's uploaded images: stored as uploaded (an animated GIF stays
 * animated) in the database so every node serves them, named by the widget
 * settings. A replaced image is deleted with the save that replaces it; one
 * uploaded but never saved into the settings is swept after a day.
 */
@injectable()
export class StyleImageService {
  private readonly users: ImageUser[] = [async (t) => keysOf(named(readWidgetSettings((await t.q('widget_settings').first('settings'))?.settings)))];

  constructor(
    @inject(TOKENS.Db) private readonly db: Db,
    @inject(TOKENS.Clock) private readonly clock: Clock,
    @inject(FileStorage) private readonly storage: FileStorage,
  ) {}

  /** Receives one multipart `file`, checks and stores it; returns its key. */
  async upload(req: http.IncomingMessage, companyId: number, kind: StyleImageKind): Promise<string> {
    const { maxBytes, what, maxSide } = STYLE_IMAGES[kind];
    const image = await withSmallUpload(this.storage, req, maxBytes, what, (path, name) => checkUploadedImage(path, name, what, maxSide));
    const key = randomToken(24);
    await new Tenant(this.db, companyId).insert('style_images', { key, kind, ...image });
    return key;
  }

  /** Another record type that names images (icons): its keys survive the sweep. */
  addUser(user: ImageUser) {
    this.users.push(user);
  }

  /** A saved document may only name images this company uploaded, each where its kind belongs. */
  async check(t: Tenant, s: WidgetSettings) {
    await this.checkRefs(t, named(s));
  }

  async checkRefs(t: Tenant, refs: ImageRef[]) {
    for (const [path, kind, key] of refs)
      if (key && !(await t.q('style_images').where({ key, kind }).first('key')))
        throw fieldError(path, 'unknown_image', 'No such uploaded image in this company');
  }

  /** A replaced image is no longer shown anywhere: its address stops working with it. */
  async dropReplaced(t: Tenant, before: WidgetSettings, after: WidgetSettings) {
    await this.dropUnnamed(t, named(before), named(after));
  }

  /** Deletes the images `before` named that `after` no longer does. */
  async dropUnnamed(t: Tenant, before: ImageRef[], after: ImageRef[]) {
    const kept = new Set(keysOf(after));
    const gone = keysOf(before).filter((key) => !kept.has(key));
    if (gone.length) await t.q('style_images').whereIn('key', gone).delete();
  }

  /** Uploads older than a day that nothing of the company names (a form left unsaved). */
  async sweep(): Promise<void> {
    const before = new Date(this.clock.now().getTime() - UNUSED_MS);
    const companies = await this.db('style_images').where('created_at', '<', before).distinct('company_id');
    for (const { company_id } of companies) {
      const t = new Tenant(this.db, Number(company_id));
      const inUse = (await Promise.all(this.users.map((u) => u(t)))).flat();
      await t.q('style_images').where('created_at', '<', before).whereNotIn('key', inUse).delete();
    }
  }

  /** The image behind a key, from any company: the key itself is the secret. */
  async image(key: string): Promise<{ mime: string; data: Buffer }> {
    const row = await this.db('style_images').where({ key }).first('mime', 'data');
    if (!row) throw notFound('No such image');
    return { mime: row.mime, data: Buffer.from(row.data) };
  }
}
