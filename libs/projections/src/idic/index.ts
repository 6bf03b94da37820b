export * from './idic.document';
export * from './idic.projection';
export * from './idic.identity';
export * from './idic.needs';
export * from './idic.scores';
export * from './idic.view';
export {
  IDIC_RANK_HISTORY_COLLECTION,
  IDIC_RANKS_COLLECTION,
  countRankChange,
  RankTally,
} from './ranks/rank-counters';
