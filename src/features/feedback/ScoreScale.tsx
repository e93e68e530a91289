/**
 * "How well are things going?": the 0–10 scale as eleven large buttons, with faces for younger children
 * (from very sad at 0 to very happy at 10). The number is what a screen reader says; the face is a picture
 * of it, hidden from assistive technology.
 */
import type { ComponentPropsWithRef } from 'react';
import { scoreFace, type ScoreFace } from '../../../domain/feedback';
import { RadioGroupField } from '../../components/fields';

const scores = Array.from({ length: 11 }, (_, n) => ({ value: String(n), label: String(n) }));

// How far the mouth curves: down for sad faces, up for happy ones.
const mouthCurve: Record<ScoreFace, number> = { 'very-sad': -7, sad: -3.5, okay: 0, happy: 3.5, 'very-happy': 7 };

function Face({ score }: { score: number }) {
  const face = scoreFace(score);
  const curve = mouthCurve[face];
  const mouthY = 21 - curve / 2;
  return (
    <svg className={`score-face score-face--${face}`} viewBox="0 0 32 32" width="32" height="32" aria-hidden="true" focusable="false">
      <circle cx="16" cy="16" r="14.5" fill="none" stroke="currentColor" strokeWidth="2" />
      <circle cx="11" cy="12.5" r="2" fill="currentColor" />
      <circle cx="21" cy="12.5" r="2" fill="currentColor" />
      <path d={`M 9.5 ${mouthY} Q 16 ${mouthY + curve * 1.6} 22.5 ${mouthY}`} fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" />
    </svg>
  );
}

export function ScoreScale({
  label,
  hint,
  error,
  input,
  withFaces,
}: {
  label: string;
  hint: string;
  error?: string | undefined;
  input: ComponentPropsWithRef<'input'>;
  withFaces: boolean;
}) {
  return (
    <div className={`score-scale${withFaces ? ' score-scale--faces' : ''}`}>
      <RadioGroupField label={label} hint={hint} error={error} options={scores} input={input} decorate={withFaces ? (value) => <Face score={Number(value)} /> : undefined} />
    </div>
  );
}
