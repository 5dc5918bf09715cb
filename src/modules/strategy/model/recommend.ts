/**
 * The recommendation: the decided strategy with, for a hybrid (and for the pure strategies, their
 * half), the channels run as one and the media to reach through, and its name.
 */
import type { Recommendation } from '../result-schema.ts';
import type { Answers, Measures } from '../schema.ts';
import { phrase, round4 } from './phrases.ts';
import type { Decision } from './score.ts';
import { measureState } from './signals.ts';

/** A cross-device share from which the app is run as one with web and stores. */
export const APP_SHARE = 0.1;

/** The channels to run as one: web always, stores when there are any, the app, marketplaces. */
export const omnichannelScope = (answers: Answers, measures: Measures): string[] => {
  const scope = ['web'];
  if (answers.store_count > 0) scope.push('stores');
  const cross = measureState(measures.cross_device_cart_share);
  if (cross.value !== null ? cross.value >= APP_SHARE : answers.it_maturity === 'high') scope.push('app');
  if (answers.commerce_type === 'marketplace_seller') scope.push('marketplaces');
  return scope;
};

/** Plaza's campaign media (src/modules/messaging) as the advisor names them. */
const MEDIUM_OF: Record<string, string> = {
  print: 'brochure',
  brochure: 'brochure',
  email: 'email',
  sms: 'sms',
  push: 'push',
  web_push: 'push',
  ads: 'ads',
  banner: 'banner',
  in_app: 'in_app',
  pos: 'pos',
};

/** Media ranked by a measure's breakdown (best value first, positive values only). */
const rankedByMeasure = (measures: Measures, key: 'media_roi' | 'media_response_rate'): string[] => {
  const m = measures[key];
  if (!m || measureState(m).value === null) return [];
  return m.breakdown
    .filter(
      (p): p is typeof p & { value: number } =>
        p.value !== null && p.value > 0 && MEDIUM_OF[p.label] !== undefined,
    )
    .sort((a, b) => b.value - a.value || a.label.localeCompare(b.label))
    .map((p) => MEDIUM_OF[p.label] ?? p.label);
};

/** Media from the answers when none are measured: brochures near stores, e-mail, ads for reach, SMS for frequent buys, ads last. */
const mediaFromAnswers = (answers: Answers): string[] => {
  const reach =
    answers.goals.includes('reach_new') ||
    answers.goals.includes('new_regions') ||
    answers.competitive_pressure === 'high';
  const media: string[] = [];
  if (answers.store_count > 0) media.push('brochure');
  if (reach && answers.store_count === 0) media.push('ads');
  media.push('email');
  if (reach) media.push('ads');
  if (answers.purchase_frequency === 'weekly' || answers.category === 'grocery') media.push('sms');
  media.push('ads');
  return media;
};

/** The media to reach through, best first: the media measures' breakdown (ROI, then response), else the answers. */
export const multichannelMedia = (answers: Answers, measures: Measures, count: number): string[] => {
  const ranked = [
    ...rankedByMeasure(measures, 'media_roi'),
    ...rankedByMeasure(measures, 'media_response_rate'),
    ...mediaFromAnswers(answers),
  ];
  return [...new Set(ranked)].slice(0, count);
};

/** The recommendation for a decision, named ("omnichannel for web + stores, multichannel reach through …"). */
export const recommend = (decision: Decision, answers: Answers, measures: Measures): Recommendation => {
  const margin = round4(decision.margin);
  const scope = omnichannelScope(answers, measures);
  switch (decision.strategy) {
    case 'omnichannel':
      return {
        strategy: 'omnichannel',
        omnichannel_scope: scope,
        multichannel_media: [],
        name: phrase('name.omnichannel', { scope: scope.join(', ') }),
        margin,
      };
    case 'multichannel': {
      const media = multichannelMedia(answers, measures, 3);
      return {
        strategy: 'multichannel',
        omnichannel_scope: [],
        multichannel_media: media,
        name: phrase('name.multichannel', { media: media.join(', ') }),
        margin,
      };
    }
    case 'hybrid': {
      const media = multichannelMedia(answers, measures, 2);
      return {
        strategy: 'hybrid',
        omnichannel_scope: scope,
        multichannel_media: media,
        name: phrase('name.hybrid', { scope: scope.join(', '), media: media.join(', ') }),
        margin,
      };
    }
  }
};
