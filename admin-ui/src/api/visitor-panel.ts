import type { z } from 'zod';
import type { trailView } from '../../../core/src/visitors/visitor-trail.ts';
import type { visitorChangesView, visitorEditBody, visitorInfoView, visitorProfileView } from '../../../core/src/visitors/visitor-info-schemas.ts';
import { api } from './client';

/** 轨迹 of the side panel (WORKBENCH-TRAIL-7), typed by the server's schema. */
export type VisitorTrail = z.output<typeof trailView>;
export type TrailVisit = NonNullable<VisitorTrail['current']>;
/** 访客信息 (WORKBENCH-VISITOR-8) and its edits (WORKBENCH-VISITOREDIT-9). */
export type VisitorInfo = z.output<typeof visitorInfoView>;
export type VisitorValue = VisitorInfo['values'][number];
export type VisitorEdit = z.input<typeof visitorEditBody>;
export type VisitorChange = z.output<typeof visitorChangesView>['items'][number];
/** core's visitor profile (HISTORY-VISITOR-7). */
export type VisitorProfile = z.output<typeof visitorProfileView>;

export const visitorPanelApi = {
  trail: (visitorId: number, signal?: AbortSignal) => api.get<VisitorTrail>(`/api/visitors/${visitorId}/trail`, { signal }),
  info: (visitorId: number) => api.get<VisitorInfo>(`/api/visitors/${visitorId}/info`),
  edit: (visitorId: number, patch: VisitorEdit) => api.patch<VisitorInfo>(`/api/visitors/${visitorId}/info`, patch),
  changes: (visitorId: number) => api.get<{ items: VisitorChange[] }>(`/api/visitors/${visitorId}/info/changes`),
  profile: (visitorId: number) => api.get<VisitorProfile>(`/api/visitors/${visitorId}/profile`),
};
