/** Council review of signed plan packages: read-only plan, comments pinned to places and parcels. */
export { ReviewSession, defaultReviewFile, type CommentRequest, type OpenOptions } from './session.js';
export { ReviewFile, COMMENTS_LAYER, COMMENT_FIELDS, COMMENT_STATUSES, TEXT_MAX, AUTHOR_MAX, type ReviewComment, type CommentStatus } from './comments-file.js';
export { anchorPoint, pinArea, PIN_MARGIN_MIN_DEG, PIN_MARGIN_FRACTION } from './anchor.js';
