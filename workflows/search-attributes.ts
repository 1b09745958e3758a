import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Registered on the server at start; no personal data goes into them (they are not encrypted). */
export const STAGE = defineSearchAttributeKey('EntenteStage', SearchAttributeType.KEYWORD);
export const TEMPLATE = defineSearchAttributeKey('EntenteTemplate', SearchAttributeType.KEYWORD);
export const PARTIES = defineSearchAttributeKey('EntenteParties', SearchAttributeType.KEYWORD_LIST);
export const NEXT_DEADLINE = defineSearchAttributeKey('EntenteNextDeadline', SearchAttributeType.DATETIME);

/** As the Temporal CLI's `--search-attribute` flag wants them. */
export const SEARCH_ATTRIBUTE_FLAGS: Record<string, 'Keyword' | 'KeywordList' | 'Datetime'> = {
  EntenteStage: 'Keyword',
  EntenteTemplate: 'Keyword',
  EntenteParties: 'KeywordList',
  EntenteNextDeadline: 'Datetime',
};
