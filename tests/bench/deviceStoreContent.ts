/** The content of the device storage benchmark's records: ~1.6 KB each, as a person fills the form in. */

/** Words for the narrative fields: plain sentences of the kind an observation holds. */
const SENTENCES = [
  'The practitioner greeted the family warmly and explained why they had come today. ',
  'The child was given time to speak and their words were written down as they said them. ',
  'Risks were discussed openly with the parent, who agreed to the safety plan. ',
  'The practitioner checked the bedroom and the kitchen and noted what had changed. ',
  'Next steps were agreed with dates and who will do each of them. ',
];

function narrative(length: number, seed: number): string {
  let text = '';
  for (let i = seed; text.length < length; i++) text += SENTENCES[i % SENTENCES.length];
  return text.slice(0, length);
}

/** The fields of one observation: ~1.6 KB of content, as a person fills the form in. */
export function contentOf(i: number): { scalars: Record<string, string>; narratives: Record<string, string> } {
  return {
    scalars: {
      practitionerId: `sw-${i % 40}`,
      practitionerName: `Practitioner ${i % 40}`,
      teamId: `team-${i % 6}`,
      dateOfObservation: `2026-0${1 + (i % 9)}-1${i % 10}`,
      childId: `MOS${100000 + i}`,
      levelOfNeed: 'Child in need',
      nature: 'Home visit',
      meetingType: 'Planned',
    },
    narratives: {
      strengths: narrative(420, i),
      areasForDevelopment: narrative(380, i + 1),
      reflections: narrative(360, i + 2),
      otherComments: narrative(220, i + 3),
      equalityDiversityIdentity: narrative(180, i + 4),
    },
  };
}

/** Characters typed between two stored updates (a burst of typing; the editor stores each keystroke). */
export const BURST = 32;

