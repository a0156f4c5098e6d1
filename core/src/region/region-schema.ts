import { z } from 'zod';
import { perLang } from '../icons/icon-schemas.ts';
import type { Region } from '../visitors/region-type.ts';

/** Service region (SPEC REGION-MODE-1, REGION-ENFORCE-2). Names are ip2region's, as the visitor list shows them. */
const name = z.string().trim().min(1).max(50);
export const regionEntry = z
  .strictObject({ country: name, province: name.nullable().default(null), city: name.nullable().default(null) })
  .superRefine((e, ctx) => {
    if (e.city && !e.province) ctx.addIssue({ code: 'custom', path: ['province'], message: 'A city needs its province', params: { code: 'required' } });
  });

export const REGION_NOTICE = {
  'zh-CN': '抱歉,您所在的地区暂不提供在线咨询服务。',
  'zh-TW': '抱歉,您所在的地區暫不提供線上諮詢服務。',
  en: 'Sorry, online chat is not available in your region.',
  ja: '申し訳ありませんが、お住まいの地域ではオンラインチャットをご利用いただけません。',
  ko: '죄송합니다. 고객님의 지역에서는 온라인 상담을 이용할 수 없습니다.',
} as const;

export const regionSettingsSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    /** serve: only the listed regions; refuse: everyone but them. */
    mode: z.enum(['serve', 'refuse']).default('serve'),
    entries: z.array(regionEntry).max(500).default([]),
    /** Visitors whose region is unknown or LAN. */
    unknown: z.enum(['serve', 'refuse']).default('serve'),
    notice: perLang(z.string().trim().max(200)),
    leaveMessage: z.boolean().default(true),
  })
  .superRefine((s, ctx) => {
    if (s.enabled && !s.entries.length)
      ctx.addIssue({ code: 'custom', path: ['entries'], message: 'List at least one region', params: { code: 'regions_required' } });
  });
export type RegionSettings = z.output<typeof regionSettingsSchema>;

/** REGION-MODE-1: served when listed (serve mode) or not listed (refuse mode). */
export function regionServed(s: RegionSettings, r: Place): boolean {
  if (!s.enabled) return true;
  if (!r.country) return s.unknown === 'serve';
  const listed = s.entries.some((e) => regionMatches(e, r));
  return s.mode === 'serve' ? listed : !listed;
}

type Place = Pick<Region, 'country' | 'province' | 'city'>;
/** An entry matches when every level it names equals the visitor's (also routing rules, ASSIGN-RULES-4). */
export const regionMatches = (e: z.output<typeof regionEntry>, r: Place) =>
  e.country === r.country && (!e.province || e.province === r.province) && (!e.city || e.city === r.city);
