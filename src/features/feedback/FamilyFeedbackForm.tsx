/**
 * The feedback form as a family sees it in family mode: the same fields as the worker's form, asked in
 * plain words with large controls, saved as they type. No child ID, no dates, no names, no links: the
 * worker fills in the rest when they take the tablet back.
 */
import { familyAgeBands, familyGivers, familyModeLabels, feedbackCompleteSchema, feedbackLayout, type FeedbackField, type FeedbackValues } from '../../../domain/feedback';
import { FocusedHeading } from '../../components/FocusedHeading';
import { RadioGroupField, TextAreaField, TextField } from '../../components/fields';
import { useRecordForm } from '../../components/recordForm';
import type { RecordHandle } from '../../data/docs/openRecord';
import { lockFamilyMode } from '../../data/familyMode';
import { ConsentField } from './ConsentField';
import { ScoreScale } from './ScoreScale';

const allFields = [...feedbackLayout.scalarFields, ...feedbackLayout.narrativeFields] as FeedbackField[];

export function FamilyFeedbackForm({ handle }: { handle: RecordHandle }) {
  const { form, bind } = useRecordForm<FeedbackValues>(handle, feedbackCompleteSchema, allFields);
  const giver = form.watch('giver');
  const readOnly = handle.meta()?.status !== 'draft';

  return (
    <main id="main" className="page family-mode">
      <FocusedHeading>Tell us what you think</FocusedHeading>
      <p className="family-intro">There are no right or wrong answers. Answer as much or as little as you like. What you write is saved as you go.</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          lockFamilyMode('finished');
        }}
        noValidate
        aria-label="Tell us what you think"
      >
        <fieldset disabled={readOnly} className="form-body">
          <RadioGroupField label={familyModeLabels.giver} options={familyGivers} input={bind('giver')} />
          {giver && giver !== 'child' && <TextField label={familyModeLabels.relationship} autoComplete="off" {...bind('relationship')} />}
          {giver === 'child' && <RadioGroupField label={familyModeLabels.ageBand} options={familyAgeBands} input={bind('ageBand')} />}
          <TextAreaField label={familyModeLabels.workingWell} {...bind('workingWell')} />
          <TextAreaField label={familyModeLabels.worried} {...bind('worried')} />
          <TextAreaField label={familyModeLabels.needsToHappen} {...bind('needsToHappen')} />
          <ScoreScale label={familyModeLabels.score} hint={familyModeLabels.scoreHint} input={bind('score')} withFaces />
          <TextAreaField label={familyModeLabels.goneWell} {...bind('goneWell')} />
          <TextAreaField label={familyModeLabels.couldBeBetter} {...bind('couldBeBetter')} />
          <TextAreaField label={familyModeLabels.anythingElse} {...bind('anythingElse')} />
          <ConsentField
            legend={familyModeLabels.consentQuestion}
            label={familyModeLabels.consent}
            checked={form.watch('consent') === 'yes'}
            onChange={(value) => {
              form.setValue('consent', value);
              handle.setField('consent', value);
            }}
          />
        </fieldset>
        <div className="form-actions">
          <button type="submit" className="button button--primary">
            I have finished
          </button>
        </div>
      </form>
    </main>
  );
}
