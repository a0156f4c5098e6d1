import { inject, injectable } from '../infra/di.ts';
import { BlockService } from '../blocking/block-service.ts';
import { RealtimeNotifier, rooms } from '../realtime/realtime-notifier.ts';
import { describeVisit } from './describe-visit.ts';
import { LiveVisitors } from './live-visitors.ts';
import { VisitorService, type VisitorRef } from './visitor-service.ts';

export interface PageViewInput {
  url: string;
  title?: string;
  referrer?: string;
  language?: string;
}

/** One page view, whether it comes over the visitor socket or the loader's beacon; consoles see the row move. */
@injectable()
export class PageViewRecorder {
  constructor(
    @inject(VisitorService) private readonly visitors: VisitorService,
    @inject(BlockService) private readonly blocks: BlockService,
    @inject(LiveVisitors) private readonly live: LiveVisitors,
    @inject(RealtimeNotifier) private readonly notifier: RealtimeNotifier,
  ) {}

  async record(visitor: VisitorRef, page: PageViewInput, client: { ip: string; userAgent: string }): Promise<number> {
    const { bot, ...info } = describeVisit({ ...client, referrer: page.referrer, url: page.url, language: page.language });
    // Crawlers, headless browsers and fully blocked visitors never reach the visitor list (VISITOR-ARRIVE-2, DISPLAY-BLOCKVISITOR-12).
    if (bot || (await this.blocks.check(visitor.companyId, visitor.id, client.ip)) === 'visitor') return 0;
    const { visitId } = await this.visitors.pageView(visitor, page, info);
    const row = await this.live.one(visitor.companyId, visitor.id);
    if (row) this.notifier.toAgents(rooms.company(visitor.companyId), 'visitor.updated', { visitor: row });
    return visitId;
  }
}
