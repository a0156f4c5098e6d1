import { inject, injectable } from '../infra/di.ts';
import { BlockService } from '../blocking/block-service.ts';
import { IconService } from '../icons/icon-service.ts';
import { describeVisit } from './describe-visit.ts';
import { LiveVisitors } from './live-visitors.ts';
import { VisitorService, type VisitorRef } from './visitor-service.ts';

export interface PageViewInput {
  url: string;
  title?: string;
  referrer?: string;
  language?: string;
  iconKey?: string;
}

/** One page view, whether it comes over the visitor socket or the loader's beacon; consoles see the row move. */
@injectable()
export class PageViewRecorder {
  constructor(
    @inject(VisitorService) private readonly visitors: VisitorService,
    @inject(BlockService) private readonly blocks: BlockService,
    @inject(LiveVisitors) private readonly live: LiveVisitors,
    @inject(IconService) private readonly icons: IconService,
  ) {}

  async record(visitor: VisitorRef, page: PageViewInput, client: { ip: string; userAgent: string }): Promise<number> {
    const { bot, ...info } = describeVisit({ ...client, referrer: page.referrer, url: page.url, language: page.language });
    // Crawlers, headless browsers and fully blocked visitors never reach the visitor list (VISITOR-ARRIVE-2, DISPLAY-BLOCKVISITOR-12).
    if (bot || (await this.blocks.check(visitor.companyId, visitor.id, client.ip)) === 'visitor') return 0;
    const icon = page.iconKey ? await this.icons.byKey(visitor.companyId, page.iconKey) : null;
    const { visitId } = await this.visitors.pageView(visitor, { ...page, iconId: icon?.id ?? null }, info);
    await this.live.push(visitor.companyId, visitor.id);
    return visitId;
  }
}
