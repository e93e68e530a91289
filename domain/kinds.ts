/** Every kind of record and the layout of its document, in one place so new kinds plug in. */
import type { FormLayout } from './forms';
import { observationLayout } from './observation';
import type { RecordKind } from './records';

export const formLayouts: Record<RecordKind, FormLayout<string, string>> = {
  observation: observationLayout,
};
