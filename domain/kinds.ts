/** Every kind of record and the layout of its document, in one place so new kinds plug in. */
import type { z } from 'zod';
import type { FormLayout } from './forms';
import { observationCompleteSchema, observationLayout } from './observation';
import type { RecordKind } from './records';

export const formLayouts: Record<RecordKind, FormLayout<string, string>> = {
  observation: observationLayout,
};

/** The strict schema a record of each kind must pass to be completed (checked on the device and on the server). */
export const completeSchemas: Record<RecordKind, z.ZodType> = {
  observation: observationCompleteSchema,
};
