/** Record values tests share. */
import type { Person } from '../../domain/directory';
import type { ObservationValues } from '../../domain/observation';

/** An observation of `subject` with every field filled in: ready to be completed. */
export const completeObservationValues = (subject: Person): Partial<ObservationValues> => ({
  practitionerId: subject.id,
  practitionerName: subject.displayName,
  teamId: subject.teamId,
  dateOfObservation: '2026-11-01',
  childId: 'MAT1',
  levelOfNeed: 'early-help',
  nature: 'home-visit',
  strengths: 'Warm and clear with the family.',
  areasForDevelopment: 'Summarise the plan at the end.',
  reflections: 'We talked about pacing.',
  equalityDiversityIdentity: 'Used the family’s first language.',
});
