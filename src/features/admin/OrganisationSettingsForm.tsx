/**
 * The organisation's name and the protective marking printed at the top and bottom of every page of a
 * record's PDF or printout (OFFICIAL-SENSITIVE unless the organisation chooses otherwise).
 */
import { useState, type FormEvent } from 'react';
import { DEFAULT_MARKING, organisationSettingsSchema, type OrganisationSettings } from '../../../domain/organisationSettings';
import { TextField } from '../../components/fields';
import { messageOf, useSaveOrganisationSettings } from '../../data/admin';

export function OrganisationSettingsForm({ settings }: { settings: OrganisationSettings | undefined }) {
  const [name, setName] = useState(settings?.name ?? '');
  const [marking, setMarking] = useState(settings?.marking ?? DEFAULT_MARKING);
  const [problem, setProblem] = useState<string | null>(null);
  const save = useSaveOrganisationSettings();

  function submit(event: FormEvent) {
    event.preventDefault();
    const checked = organisationSettingsSchema.safeParse({ name, marking });
    if (!checked.success) return setProblem(checked.error.issues[0]?.message ?? 'Check the settings.');
    setProblem(null);
    save.mutate(checked.data);
  }

  return (
    <section aria-labelledby="organisation-heading" className="admin-section">
      <h2 id="organisation-heading">The organisation on copies of records</h2>
      <form onSubmit={submit} noValidate>
        <TextField label="Organisation’s name" hint="At the top of every PDF and printout of a record." value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
        <TextField
          label="Protective marking"
          hint="At the top and bottom of every page of a record’s PDF or printout. Councils usually mark records about children OFFICIAL-SENSITIVE."
          value={marking}
          onChange={(e) => setMarking(e.target.value)}
          maxLength={60}
          error={problem ?? undefined}
        />
        <button type="submit" className="button button--primary" disabled={save.isPending}>
          Save the organisation’s settings
        </button>
        <p role="status">
          {save.isSuccess && `Saved: “${save.data.marking}” on every copy made from now on (tablets take it with the directory when they next connect).`}
        </p>
        {save.isError && <p className="alert alert--error">{messageOf(save.error)}</p>}
      </form>
    </section>
  );
}
