/**
 * A new campaign prefilled from the page's query string, as the strategy advisor's accepted actions
 * open it: `/campaigns/new?name=…&media=print,email&holdout_percent=10&segment_id=seg_…&kind=marketing`
 * (`medium=` is taken as one more medium). Anything unknown or out of bounds is left at the default.
 */
import { type CampaignBody, emptyContent, MEDIA, type Medium } from './data.ts';

const HOLDOUT_MAX = 50;

/** The media named in `media` (comma-separated) and `medium`, in the editor's order. */
const mediaOf = (q: URLSearchParams): Medium[] => {
  const named = [...q.getAll('media'), ...q.getAll('medium')].flatMap((v) => v.split(','));
  return MEDIA.filter((m) => named.some((n) => n.trim() === m));
};

/** The default new campaign with what the query string says. */
export const prefillCampaign = (q: URLSearchParams, base: CampaignBody): CampaignBody => {
  const body: CampaignBody = { ...base };
  const name = q.get('name')?.trim();
  if (name) body.name = name.slice(0, 200);
  const media = mediaOf(q);
  if (media.length > 0) {
    body.media = media;
    body.variants = body.variants.map((v) => ({ ...v, content: emptyContent(media) }));
  }
  const holdout = Number(q.get('holdout_percent') ?? Number.NaN);
  if (Number.isInteger(holdout) && holdout >= 0 && holdout <= HOLDOUT_MAX) body.holdout_percent = holdout;
  const segment = q.get('segment_id');
  if (segment && /^seg_\w+$/.test(segment)) body.segment_id = segment;
  const kind = q.get('kind');
  if (kind === 'marketing' || kind === 'transactional') body.kind = kind;
  return body;
};
