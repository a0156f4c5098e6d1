import type { z } from 'zod';
import type { trailView } from '../../../core/src/visitors/visitor-trail.ts';
import { api } from './client';

/** 轨迹 of the side panel (WORKBENCH-TRAIL-7), typed by the server's schema. */
export type VisitorTrail = z.output<typeof trailView>;
export type TrailVisit = NonNullable<VisitorTrail['current']>;

export const visitorPanelApi = {
  trail: (visitorId: number, signal?: AbortSignal) => api.get<VisitorTrail>(`/api/visitors/${visitorId}/trail`, { signal }),
};
