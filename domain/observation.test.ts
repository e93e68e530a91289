import { describe, expect, it } from 'vitest';
import { emptyObservation, observationCompleteSchema, observationDraftSchema, type ObservationValues } from './observation';

const valid: ObservationValues = {
  ...emptyObservation(),
  practitionerId: 'p1',
  practitionerName: 'Yusuf Ahmed',
  teamId: 't1',
  dateOfObservation: '2026-03-14',
  childId: 'MOS123456',
  levelOfNeed: 'child-protection',
  nature: 'home-visit',
  strengths: 'Warm and curious with the child.',
  areasForDevelopment: 'Write up the visit the same day.',
  reflections: 'We reflected on the child’s voice in the plan.',
  equalityDiversityIdentity: 'Interpreter booked; faith needs respected.',
};

function problems(values: ObservationValues): Record<string, string> {
  const result = observationCompleteSchema.safeParse(values);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((i) => [i.path.join('.'), i.message]));
}

describe('observation schema', () => {
  it('accepts a complete observation', () => {
    expect(problems(valid)).toEqual({});
  });

  it('accepts an empty draft but refuses to complete it, naming every missing field', () => {
    expect(observationDraftSchema.safeParse(emptyObservation()).success).toBe(true);
    expect(Object.keys(problems(emptyObservation())).sort()).toEqual(
      ['areasForDevelopment', 'childId', 'dateOfObservation', 'equalityDiversityIdentity', 'levelOfNeed', 'nature', 'practitionerId', 'reflections', 'strengths'].sort(),
    );
  });

  it('refuses narrative fields that are only white space', () => {
    expect(problems({ ...valid, strengths: '   \n ' })).toEqual({ strengths: 'Record the identified strengths.' });
  });

  it('refuses a child ID with spaces or punctuation from outside a case system', () => {
    expect(problems({ ...valid, childId: 'Amy Smith' })).toHaveProperty('childId');
    expect(problems({ ...valid, childId: 'LCS-2024/118' })).toEqual({});
  });

  it('refuses an impossible or future date', () => {
    expect(problems({ ...valid, dateOfObservation: '2026-02-30' })).toHaveProperty('dateOfObservation');
    expect(problems({ ...valid, dateOfObservation: '14/03/2026' })).toHaveProperty('dateOfObservation');
    const nextYear = `${new Date().getUTCFullYear() + 1}-01-01`;
    expect(problems({ ...valid, dateOfObservation: nextYear })).toEqual({ dateOfObservation: 'The date cannot be in the future.' });
  });

  it('refuses a level of need or nature that is not on the list', () => {
    expect(problems({ ...valid, levelOfNeed: 'urgent' })).toEqual({ levelOfNeed: 'Choose the level of need.' });
    expect(problems({ ...valid, nature: 'chat' })).toEqual({ nature: 'Choose the nature of the observed practice.' });
  });

  it('asks for the type of meeting when the practice observed was a meeting', () => {
    expect(problems({ ...valid, nature: 'meeting' })).toEqual({ meetingType: 'Choose the type of meeting.' });
    expect(problems({ ...valid, nature: 'meeting', meetingType: 'core-group' })).toEqual({});
    expect(problems({ ...valid, nature: 'meeting', meetingType: 'other' })).toEqual({ meetingTypeOther: 'Say what kind of meeting it was.' });
    expect(problems({ ...valid, nature: 'meeting', meetingType: 'other', meetingTypeOther: 'Family group conference' })).toEqual({});
  });

  it('reports the conditional problems together with every other one', () => {
    expect(Object.keys(problems({ ...emptyObservation(), nature: 'meeting' }))).toContain('meetingType');
    expect(Object.keys(problems({ ...emptyObservation(), nature: 'other' }))).toContain('natureOther');
  });

  it('asks what was observed when the nature is "other"', () => {
    expect(problems({ ...valid, nature: 'other' })).toEqual({ natureOther: 'Say what practice you observed.' });
    expect(problems({ ...valid, nature: 'other', natureOther: 'Direct work session' })).toEqual({});
  });
});
