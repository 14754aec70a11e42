/** Shapes of contract outputs the UI keeps in state (types only, derived from the contract). */
import type { Output } from '../api/client.js';

export type ProjectInfo = Output<'project.info'>;
export type LayerInfo = ProjectInfo['layers'][number];
export type Feature = Output<'layers.features'>['features'][number];
export type LayerPreview = Output<'layers.preview'>['layers'][number];
export type ImportIssue = LayerPreview['issues'][number];
export type LayerRole = LayerInfo['role'];
