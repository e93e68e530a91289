/**
 * The words of the demo organisation's records (demoRecords.ts): phrase banks a record's narrative is put
 * together from, so that a year of records reads like a year of practice rather than one sentence
 * repeated. `{child}` is the child's first name, `{worker}` the practitioner's first name, `{they}` /
 * `{their}` the child's pronouns. Every child and family here is made up.
 */

export interface Child {
  id: string;
  name: string;
  they: 'he' | 'she' | 'they';
  ageBand: 'under-5' | '5-10' | '11-15' | '16-plus';
  age: number;
  levelOfNeed: string;
  /** A few words of their circumstances, for pen pictures. */
  circumstance: string;
}

export const childNames = {
  he: ['Kai', 'Leo', 'Mason', 'Tyler', 'Harvey', 'Jayden', 'Reuben', 'Callum', 'Zain', 'Alfie', 'Ollie', 'Dylan', 'Ibrahim', 'Ethan', 'Riley', 'Kacper', 'Jamal', 'Finley'],
  she: ['Maya', 'Amelia', 'Ruby', 'Lacey', 'Poppy', 'Aisha', 'Skye', 'Evie', 'Layla', 'Nia', 'Chantelle', 'Maisie', 'Zofia', 'Grace', 'Ellie', 'Hana', 'Tia', 'Isabelle'],
  they: ['Sam', 'Charlie', 'Jordan', 'Alex', 'Robin'],
};

export const circumstances: Record<string, string[]> = {
  'early-help': [
    'lives with {their} mum and two younger siblings; school attendance dropped after a house move',
    'lives with {their} dad, who asked for help with routines and sleep',
    'lives with {their} grandmother, who is finding the teenage years hard to manage',
  ],
  'child-in-need': [
    'lives with {their} mum, who has long-standing anxiety and has recently left an abusive relationship',
    'is a young carer for {their} dad, who has multiple sclerosis',
    'has autism and an education, health and care plan; the family are in temporary accommodation',
    'lives with both parents; there have been concerns about neglect of home conditions',
  ],
  'child-protection': [
    'is subject to a child protection plan under the category of neglect',
    'is subject to a child protection plan under the category of emotional harm, after domestic abuse at home',
    'is subject to a child protection plan because of {their} mother’s alcohol use and the risk it brings',
    'was made subject to a plan after going missing and concerns about criminal exploitation',
  ],
  'child-in-care': [
    'has been in foster care for two years and sees {their} mum fortnightly',
    'lives in a residential children’s home out of the area after two placement moves',
    'lives with {their} aunt under a kinship arrangement and a care order',
    'came into care last year and is settling with a new foster family',
  ],
  'care-leaver': [
    'left care at eighteen and lives in supported accommodation; {they} started college in September',
    'is a care leaver living in {their} first tenancy and working part time',
    'is an unaccompanied young person who came to the UK at fifteen and now lives semi-independently',
  ],
};

export const observationStrengths = [
  '{worker} greeted {child} warmly and got down to {their} level straight away; {child} was clearly comfortable with {them}.',
  '{worker} explained the purpose of the visit in plain words and checked that the family understood what would happen next.',
  'The conversation with {child}’s mum was respectful and honest: {worker} named the worries clearly without blaming.',
  '{worker} used a three houses tool with {child}, and what {they} said was recorded in {their} own words.',
  'Good use of Signs of Safety language: what is working well and what we are worried about were both explored.',
  '{worker} chaired the meeting calmly, kept to time and made sure every agency was heard.',
  '{worker} knew the history well and linked today’s discussion to the plan without reading from notes.',
  'The supervision was reflective: {worker} brought a clear hypothesis and was open to challenge.',
  '{worker} noticed the state of the kitchen and asked about food in a way that did not shame anyone.',
  'Clear, kind and curious throughout; {worker} followed up on something {child} mentioned at the last visit.',
];

export const observationDevelopment = [
  'Summarise the plan and agreed actions at the end, so everyone leaves knowing who is doing what.',
  'Spend some time with {child} on {their} own; {their} views were heard mainly through {their} mum.',
  'Be more specific about timescales: “soon” and “in the next few weeks” left the family unsure.',
  'Check the chronology before the visit: one date discussed did not match the record.',
  'Use the interpreter directly rather than summarising through the older sibling.',
  'Allow more silence; some questions were answered before {child} had time to think.',
  'Record the analysis, not just the description: what does this mean for {child}’s safety?',
  'Challenge the health visitor’s account of missed appointments rather than accepting it.',
];

export const observationReflections = [
  'We talked about how to keep {child} at the centre when the adults’ needs take up the room. {worker} felt the visit went better than the last one.',
  '{worker} reflected that {they} had felt rushed and agreed to book longer visits for the next month.',
  'We discussed using a genogram with the family at the next visit to understand who else could help.',
  'We reflected on the mum’s reaction to the word “neglect” and how to talk about the plan in words she owns.',
  '{worker} said observation had been useful and asked for feedback on chairing skills in a future meeting.',
  'We talked about professional curiosity and what to ask next time about the new partner.',
];

export const observationEqualities = [
  'The family’s first language is Polish; an interpreter was booked and {worker} checked the written plan would be translated.',
  '{worker} asked about the family’s faith and how Ramadan affects routines and appointments.',
  '{child} has autism; {worker} used a visual timetable and kept the room quiet.',
  'The family are Gypsy Travellers and have had poor experiences of services; {worker} acknowledged this openly.',
  '{worker} checked how {child} describes {their} identity and used {their} chosen name throughout.',
  'Dad has a learning disability; {worker} used short sentences and checked understanding without patronising.',
  'The family is of mixed heritage; {worker} explored {child}’s sense of belonging and contact with {their} father’s family.',
];

export const observationResponses = [
  'I found it helpful to have someone see how hard the visit was. I agree about summarising at the end.',
  'Thank you for the feedback. I will try the three houses again with {child}’s brother.',
  'I was nervous at first but the reflection afterwards was really useful.',
  'I agree with the points about timescales; I will put dates in the plan.',
];

export const observationOtherComments = ['', '', 'The visit took about an hour and a quarter.', 'A follow-up joint visit with the health visitor is booked.', 'The family were happy for an observer to attend.'];

export const reflectionsLater = [
  'Having read the observation again, I think the point about seeing {child} alone is right. I have arranged to see {them} at school next week.',
  'I agree with what went well and what needs to change. I have started ending visits with a written summary for the family.',
  'Useful to see it written down. I would add that mum had only been told about the meeting the day before.',
  'I have discussed this in supervision and we agreed a plan for developing my chairing.',
];

/** Review words, per domain: what a good and a worrying evaluation say. */
export const domainWords: Record<string, { good: string[]; poor: string[] }> = {
  assessment: {
    good: [
      'The assessment is up to date and analytical; it explains what life is like for {child} and why the plan is needed.',
      'The single assessment draws on the history and on {child}’s own views, and the analysis is clear about risk.',
    ],
    poor: [
      'The assessment is out of date and describes events rather than analysing their impact on {child}.',
      'The assessment did not consider the new partner or the father’s side of the family.',
    ],
  },
  planning: {
    good: [
      'The plan is SMART, with actions that are specific, owned and dated; the family helped to write it.',
      'Planning is clear and reviewed at every core group; progress against each outcome is recorded.',
    ],
    poor: [
      'The plan lists services rather than outcomes, and there are no timescales.',
      'Contingency planning is missing: it is not clear what will happen if things do not improve.',
    ],
  },
  multiAgencyReview: {
    good: [
      'School, health and the police attend core groups and their information shapes the plan.',
      'Good multi-agency working: the school nurse and the family support worker share information promptly.',
    ],
    poor: [
      'Health have not attended the last two core groups and nobody followed this up.',
      'Information from the police about a domestic incident was not shared with the school.',
    ],
  },
  voiceOfChild: {
    good: [
      '{child} has been seen alone at every visit and {their} words are quoted in the record.',
      'Direct work with {child} is creative and regular; {their} wishes are reflected in the plan.',
    ],
    poor: [
      '{child} has not been seen alone since the plan began; {their} views come through {their} parents.',
      'There is little sense of who {child} is or what {they} would like to happen.',
    ],
  },
  parentCarerEngagement: {
    good: [
      'Mum says she feels listened to, and the worker has been honest with her about the worries.',
      'The carers are well supported and understand the plan; dad has been included despite living apart.',
    ],
    poor: [
      'Dad has not been contacted, although he has regular contact with {child}.',
      'The parents say they do not understand why the plan is in place; this has not been explored.',
    ],
  },
  managementOversight: {
    good: [
      'Supervision is regular and reflective, and the manager’s decisions are recorded with reasons.',
      'Management oversight is clear at key points; the IRO has challenged drift and it was acted on.',
    ],
    poor: [
      'There is no recorded supervision for three months, and a decision to step down is not explained.',
      'The IRO raised concerns about drift that have not been answered.',
    ],
  },
  caseRecording: {
    good: [
      'Case recording is timely, written to {child}, and easy to follow.',
      'Records are up to date, with visits written up within days and the chronology maintained.',
    ],
    poor: [
      'Several visits are not recorded, and the chronology stops six months ago.',
      'Records are written in professional language that {child} would find hard to read later in life.',
    ],
  },
};

export const overallEvaluations = {
  good: [
    'This is a well-held case. The worker knows {child} and the family well and the plan is making a difference.',
    'Practice is child-focused and timely; the risks are understood and the family are engaged in the plan.',
    'A strong piece of work: relationships are the foundation and progress is evident in {child}’s life.',
  ],
  poor: [
    'There is drift in this case: the plan has not changed although the situation at home has not improved.',
    'The worker has a good relationship with the family, but the work is not yet making enough difference for {child}.',
    'Risks are not fully understood and the plan does not address them; management oversight needs to be stronger.',
  ],
};

export const wentWellBank = [
  '{child} now attends school every day and has a trusted adult there.',
  'Mum has engaged with the domestic abuse programme and speaks about its impact on the children.',
  '{child} told us that {their} worker “always comes back when she says she will”.',
  'The move to the new placement was planned carefully and {child} is settled.',
  'Family time is happening regularly and {child} looks forward to it.',
  'The core group has worked well together and the home conditions have improved.',
  '{child}’s health needs are now met: dental and optician appointments are up to date.',
];

export const needsToHappenBank = [
  'Update the assessment to reflect the new partner and what is known about him.',
  'Write a contingency plan and share it with the family.',
  'See {child} alone at every visit and record {their} words.',
  'Invite dad to the next core group and assess his capacity to support.',
  'Refer to CAMHS for the low mood {child} described.',
  'Bring the chronology up to date.',
  'Agree a date for the permanence planning meeting.',
  'Ensure supervision is recorded with the reasons for decisions.',
];

export const rationales = {
  outstanding: 'Practice is consistently strong across all domains and there is clear evidence of impact for {child}.',
  good: 'Most domains are good and the plan is making a positive difference, with some areas to strengthen.',
  'requires-improvement': 'There are strengths in the relationship with the family, but gaps in planning and oversight mean the impact for {child} is not yet good.',
  inadequate: 'Risks to {child} are not understood or managed, and there has been drift without management grip.',
} as const;

export const locations = ['Civic centre, room 2', 'Team office', 'Online (Teams)', 'Family hub', 'Town hall, meeting room 4', 'Children in care office'];

export const reviewerLines = [
  '{lead} (lead reviewer) with {worker} and {manager}.',
  '{lead} (lead reviewer), {worker}, {manager} and the IRO.',
  '{lead} (lead reviewer) and {worker}; {manager} joined for the last half hour.',
];

/** When the lead reviewer is the practitioner's own team manager. */
export const reviewerLinesLedByManager = [
  '{lead} (lead reviewer and team manager) with {worker}.',
  '{lead} (lead reviewer and team manager), {worker} and the IRO.',
  '{lead} (lead reviewer and team manager) and {worker}; the CP chair joined for the last half hour.',
];

export const additionalWorkBank = ['', 'Read the last three months of case notes and the child protection plan.', 'Spoke to the school’s designated safeguarding lead by phone.', 'Read the chronology and the last two supervision records.'];

export const practitionerReflectionBank = [
  'I found this a fair review. It helped me to see that the plan has not moved on, and I will raise that at the next core group.',
  'It was good to talk through the case with time to think. I agree about seeing {child} on {their} own more.',
  'I am proud of the work with this family and glad it was recognised. The chronology is something I need to catch up on.',
  'The review helped me to name what I was worried about. I would like support from my manager with the contingency plan.',
];

export const moderationWords = {
  wentWell: [
    'The review is thorough and the evaluations are evidenced from the record.',
    'The lead reviewer has captured {child}’s voice well and the practitioner’s reflections add depth.',
    'A clear, honest review; the conversation with the practitioner is evident.',
  ],
  needsToHappen: [
    'The actions should say what difference they will make for {child}.',
    'The evaluation of planning needs more evidence to support the grade.',
    'Make sure the family’s feedback is reflected in the overall evaluation.',
  ],
  summary: [
    'Moderated by the QA team; grades agreed with the lead reviewer’s evaluation.',
    'A well-evidenced review; moderation agrees with the findings.',
    'Moderation panel discussed the review with the lead reviewer.',
  ],
  changeReason: [
    'The evidence in the record does not support the grade: there is no contingency plan and visits are late.',
    'The child has not been seen alone for four months; this cannot be graded good.',
    'Management oversight is stronger than the review recognises: supervision notes are detailed and recent.',
    'The plan is SMART and reviewed; moderation agrees this is good rather than requires improvement.',
  ],
};

export const feedbackWords = {
  child: {
    workingWell: ['My worker listens to me.', 'I like my new school.', 'I see my mum more now.', 'I feel safe where I live.', 'Going to football on Saturdays.'],
    worried: ['I don’t know when I can go home.', 'Mum gets sad sometimes.', 'I had to tell my story again to someone new.', 'Nothing really.'],
    needsToHappen: ['I want to see my brother more.', 'Tell me what is happening before the meeting.', 'I want to stay here.'],
    goneWell: ['She always comes back when she says.', 'They helped me with my phone and bus pass.', 'They asked me what I wanted.'],
    couldBeBetter: ['Too many different workers.', 'Meetings are boring.', 'Text me back quicker.'],
  },
  parent: {
    workingWell: ['The worker is honest with us and explains things.', 'Things are calmer at home since the family support started.', 'The school and social worker talk to each other now.'],
    worried: ['I worry the plan will never end.', 'Money is really tight this winter.', 'I don’t always understand the reports.'],
    needsToHappen: ['I want help with housing.', 'A date for the next meeting in writing.', 'More help with the children’s behaviour.'],
    goneWell: ['They listened to me at the conference.', 'She came to the hospital appointment with me.', 'They got the referral done quickly.'],
    couldBeBetter: ['Reports should come before the meeting, not on the day.', 'Phone calls are not always returned.', 'Less jargon.'],
  },
  carer: {
    workingWell: ['The young person is settled and doing well at school.', 'We get good support from the supervising social worker.', 'Contact arrangements work well.'],
    worried: ['Delays in agreeing the therapy.', 'What happens when he turns eighteen.', 'We weren’t told about the change of worker.'],
    needsToHappen: ['A decision about long-term fostering.', 'Delegated authority for school trips.', 'Respite for one weekend a month.'],
    goneWell: ['The social worker visits regularly and knows her well.', 'They sorted the passport quickly.', 'The IRO really listened.'],
    couldBeBetter: ['Paperwork for holidays takes too long.', 'More notice of meetings.', 'Better handover between workers.'],
  },
};

export const actionBank: Record<string, { what: string; why: string }[]> = {
  assessment: [{ what: 'Update the single assessment to include the new partner', why: 'The assessment did not consider who now lives in the household.' }],
  planning: [
    { what: 'Write a contingency plan and share it with the family', why: 'It is not clear what will happen if things do not improve.' },
    { what: 'Rewrite the plan with dated, owned actions', why: 'The plan lists services rather than outcomes.' },
  ],
  multiAgencyReview: [{ what: 'Invite health and the police to the next core group', why: 'Key agencies have not attended.' }],
  voiceOfChild: [
    { what: 'See {child} alone at the next two visits and record {their} words', why: '{child}’s views came only through {their} parents.' },
    { what: 'Complete direct work with {child} about {their} wishes for the future', why: 'There is little sense of what {child} would like.' },
  ],
  parentCarerEngagement: [{ what: 'Contact dad and invite him to the core group', why: 'Dad has regular contact but has not been included.' }],
  managementOversight: [{ what: 'Record supervision with the reasons for decisions', why: 'No supervision was recorded for three months.' }],
  caseRecording: [{ what: 'Bring the chronology and visit records up to date', why: 'Several visits are not recorded.' }],
  areasForDevelopment: [
    { what: 'Use a written summary at the end of each visit', why: 'The family were not sure what had been agreed.' },
    { what: 'Book a joint visit to practise seeing {child} alone', why: 'The observation found {child}’s views came through mum.' },
  ],
};

export const doneNotes = [
  { note: 'Done: discussed and agreed with the family at the visit.', evidence: 'Case note of the visit in Mosaic.' },
  { note: 'Completed and shared with the core group.', evidence: 'Plan uploaded to the child’s documents in Mosaic.' },
  { note: 'Done in supervision; decisions recorded.', evidence: 'Supervision record in Mosaic.' },
  { note: 'Seen alone twice; words recorded.', evidence: 'Visit case notes in LCS.' },
];

export const findingsResponses = [
  'I agree with the findings. We discussed them in supervision and the actions are in hand.',
  'Agreed. The practitioner has a heavy caseload this month; I have moved two cases to give time for the actions.',
  'I agree with most of the findings; the core group dates were set by the conference, not by the worker.',
  'Thank you for a thorough review. We will share the learning at the next team meeting.',
];

export const concernWords = [
  {
    text: '{child} told the reviewer that mum’s ex-partner has been staying at the house again, despite the safety plan.',
    response: 'Visited the same day with the police; the ex-partner was not present. Strategy discussion booked for tomorrow.',
    resolution: 'Strategy meeting held; the safety plan was updated and mum has applied for a non-molestation order. Seen alone again on Friday.',
  },
  {
    text: 'The case record shows {child} has been missing from placement three times this month and no return interviews were done.',
    response: 'Return interview completed today; referral made to the exploitation team.',
    resolution: 'Multi-agency child exploitation meeting held and a disruption plan agreed. No further missing episodes in two weeks.',
  },
];

/** A head of service's quarterly summary (St Helens appendix 2), written with the QA team after the quarter. */
export const summaryWords = {
  workingWell: [
    'Practice evaluations this quarter show workers who know their children well and write about them warmly and specifically.',
    'Children’s voices come through more clearly in plans and visit records than last quarter; several reviews quote the child directly.',
    'Direct work is purposeful: workers are using life-story work and three houses with children who find talking hard.',
    'Families told us, in their own words, that workers listened and explained what was happening and why.',
    'Supervision records show reflective discussion of risk, not only case direction.',
    'Most actions from last quarter’s reviews were completed on time and signed off by team managers.',
  ],
  worried: [
    'Chronologies are not kept up to date in a third of the cases reviewed; significant events are missing.',
    'Management oversight is recorded, but its rationale is often thin: decisions are noted without the reasons for them.',
    'Plans do not always say what will change for the child and by when, which makes progress hard to measure.',
    'Moderation changed grades downward more often than upward this quarter, mostly in the planning domain.',
    'A few actions are overdue because workers moved teams; they were not handed on.',
    'Fewer families gave feedback this quarter, so their voice in this summary is thinner than we would like.',
  ],
  actionNeeded: [
    'Team managers will check chronologies in supervision each month; the QA team will dip-sample ten cases next quarter.',
    'A practice workshop on SMART planning, led by the principal social worker, for every team before the end of next quarter.',
    'Overdue actions are reassigned this week; moving teams now includes handing on open actions.',
    'Workers will ask every family for feedback at the end of a review, with the tablet’s family mode.',
    'Heads of service will report progress on these actions in next quarter’s summary.',
  ],
};
