/**
 * People and access, for administrators: everyone with an account, adding a person, and for each
 * person moving team, line manager and role, deactivating and resetting a password. Needs a connection:
 * every change takes effect on the server at once (and can end someone's sign-ins).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useForm } from 'react-hook-form';
import { emailField, newUserRequestSchema, passwordResetSchema, roleChangeRefusal, type NewUserRequest, type UserChange } from '../../../domain/admin';
import { roleLabels, roles, type Directory, type Role, type UserAccount } from '../../../domain/directory';
import { SelectField, TextField } from '../../components/fields';
import { failureOf, messageOf, useAccounts, useAddUser, useAdminDirectory, useChangeUser, useResetPassword } from '../../data/admin';
import { useSignedIn } from '../../data/sessionContext';
import { OrganisationSettingsForm } from './OrganisationSettingsForm';

const offlineMessage = 'Managing people needs a connection. Try again when you are online.';
const forbiddenMessage = 'Only administrators can manage people.';

export function AdminPage() {
  const accounts = useAccounts();
  const directory = useAdminDirectory();
  const error = accounts.error ?? directory.error;

  return (
    <main id="main" className="page admin-page">
      <h1>People and access</h1>
      {accounts.data && directory.data ? (
        <>
          <PeopleList accounts={accounts.data} directory={directory.data} />
          <AddPersonForm accounts={accounts.data} directory={directory.data} />
          <OrganisationSettingsForm settings={directory.data.organisation} />
        </>
      ) : error ? (
        <LoadFailure
          error={error}
          onRetry={() => {
            void accounts.refetch();
            void directory.refetch();
          }}
        />
      ) : (
        <p role="status">Loading people…</p>
      )}
    </main>
  );
}

function LoadFailure({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const failure = failureOf(error);
  if (failure === 'forbidden') return <p className="alert alert--error">{forbiddenMessage}</p>;
  return (
    <div className="alert alert--error">
      <p>{failure === 'offline' ? offlineMessage : messageOf(error)}</p>
      <button type="button" className="button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}

/** Names for ids, for everything the screen shows. */
function namesFor(accounts: UserAccount[], directory: Directory) {
  const personName = new Map(accounts.map((a) => [a.id, a.displayName]));
  const teamName = new Map(directory.teams.map((t) => [t.id, t.name]));
  const serviceName = new Map(directory.services.map((s) => [s.id, s.name]));
  return {
    person: (id: string) => (id ? (personName.get(id) ?? 'Someone not listed') : 'None'),
    team: (id: string) => (id ? (teamName.get(id) ?? 'A team not listed') : 'No team'),
    placement(account: UserAccount) {
      if (account.teamId) return teamName.get(account.teamId) ?? 'A team not listed';
      return account.serviceId ? `No team (${serviceName.get(account.serviceId) ?? 'a service not listed'})` : 'No team';
    },
  };
}

function PeopleList({ accounts, directory }: { accounts: UserAccount[]; directory: Directory }) {
  const headingId = useId();
  const deactivated = accounts.filter((a) => !a.active).length;
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>Everyone</h2>
      <p className="result-count">
        {accounts.length} {accounts.length === 1 ? 'person' : 'people'}
        {deactivated > 0 && `, ${deactivated} of them deactivated`}
      </p>
      <ul className="record-list person-list" aria-labelledby={headingId}>
        {accounts.map((account) => (
          <PersonItem key={account.id} account={account} accounts={accounts} directory={directory} />
        ))}
      </ul>
    </section>
  );
}

function PersonItem({ account, accounts, directory }: { account: UserAccount; accounts: UserAccount[]; directory: Directory }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const toggleRef = useRef<HTMLButtonElement>(null);
  const names = namesFor(accounts, directory);
  return (
    <li className={`person-card${account.active ? '' : ' person-card--deactivated'}`}>
      <h3 className="person-name">{account.displayName}</h3>
      <dl className="person-details">
        <div>
          <dt>Username</dt>
          <dd>{account.username}</dd>
        </div>
        <div>
          <dt>Role</dt>
          <dd>{roleLabels[account.role]}</dd>
        </div>
        <div>
          <dt>Team</dt>
          <dd>{names.placement(account)}</dd>
        </div>
        <div>
          <dt>Line manager</dt>
          <dd>{names.person(account.managerId)}</dd>
        </div>
        <div>
          <dt>Email</dt>
          <dd>{account.email || 'None'}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd className={account.active ? 'person-status' : 'person-status person-status--deactivated'}>{account.active ? 'Active' : 'Deactivated'}</dd>
        </div>
      </dl>
      <button
        ref={toggleRef}
        type="button"
        className="button"
        aria-label={`Edit ${account.displayName}`}
        aria-expanded={open}
        aria-controls={open ? panelId : undefined}
        onClick={() => setOpen(!open)}
      >
        Edit
      </button>
      {open && (
        <PersonEditor
          id={panelId}
          account={account}
          accounts={accounts}
          directory={directory}
          onDone={() => {
            setOpen(false);
            toggleRef.current?.focus();
          }}
        />
      )}
    </li>
  );
}

/** Which control an outcome belongs to: it shows beside that control, where the person is looking. */
type Control = 'team' | 'manager' | 'role' | 'email' | 'active' | 'password';
type Outcome = { control: Control; kind: 'working' | 'done' | 'problem'; text: string } | null;

/** What happened to the last change made with one control: announced, and shown beside it. */
function OutcomeMessage({ outcome, control }: { outcome: Outcome; control: Control }) {
  const mine = outcome?.control === control ? outcome : null;
  return (
    <>
      {mine?.kind === 'problem' && (
        <p className="alert alert--error" role="alert">
          {mine.text}
        </p>
      )}
      <div role="status">{mine && mine.kind !== 'problem' && <p className={mine.kind === 'done' ? 'alert alert--success' : 'working'}>{mine.text}</p>}</div>
    </>
  );
}

function PersonEditor({
  id,
  account,
  accounts,
  directory,
  onDone,
}: {
  id: string;
  account: UserAccount;
  accounts: UserAccount[];
  directory: Directory;
  onDone: () => void;
}) {
  const { user } = useSignedIn();
  const change = useChangeUser();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const names = namesFor(accounts, directory);
  const name = account.displayName;
  const busy = outcome?.kind === 'working';

  async function apply(control: Control, body: UserChange, describe: (updated: UserAccount) => string) {
    if (busy) return;
    setOutcome({ control, kind: 'working', text: 'Saving…' });
    try {
      const updated = await change.mutateAsync({ id: account.id, change: body });
      setOutcome({ control, kind: 'done', text: describe(updated) });
    } catch (error) {
      setOutcome({ control, kind: 'problem', text: messageOf(error) });
    }
  }

  // A role no administrator may change (their own, or another administrator's): the reason, or null.
  const roleLocked = roles.filter((r) => r !== account.role).every((r) => roleChangeRefusal(user, account, r)) ? roleChangeRefusal(user, account, roles.find((r) => r !== account.role)!) : null;

  const lineManager = (updated: UserAccount) =>
    updated.managerId ? `${updated.displayName}’s line manager is now ${names.person(updated.managerId)}.` : `${updated.displayName} has no line manager now.`;

  return (
    <div id={id} className="person-editor" role="group" aria-label={`Edit ${name}`}>
      <MoveTeamForm
        account={account}
        directory={directory}
        onMove={(body) =>
          void apply(
            'team',
            body,
            (updated) =>
              `${updated.displayName} ${updated.teamId ? `is now in ${names.team(updated.teamId)}` : 'is no longer in a team'}. ${lineManager(updated)}`,
          )
        }
      />
      <OutcomeMessage outcome={outcome} control="team" />
      <LineManagerForm account={account} accounts={accounts} directory={directory} onChange={(managerId) => void apply('manager', { managerId }, lineManager)} />
      <OutcomeMessage outcome={outcome} control="manager" />
      {roleLocked ? (
        // Separation of duties (the server refuses it too): say why rather than offer a change that fails.
        <p className="hint">{roleLocked}</p>
      ) : (
        <RoleForm account={account} onChange={(role) => void apply('role', { role }, (updated) => `${updated.displayName}’s role is now ${roleLabels[updated.role]}.`)} />
      )}
      <OutcomeMessage outcome={outcome} control="role" />
      <EmailForm
        account={account}
        onChange={(email) => void apply('email', { email }, (updated) => (updated.email ? `Urgent notices for ${updated.displayName} are now also emailed to ${updated.email}.` : `${updated.displayName} no longer gets urgent notices by email.`))}
      />
      <OutcomeMessage outcome={outcome} control="email" />

      {account.id === user.id ? (
        <p className="hint">You cannot deactivate your own account.</p>
      ) : (
        <ActivationControl
          name={name}
          active={account.active}
          onDeactivate={() => void apply('active', { active: false }, (updated) => `${updated.displayName} is deactivated and has been signed out on every device.`)}
          onReactivate={() => void apply('active', { active: true }, (updated) => `${updated.displayName} is active again and can sign in.`)}
        />
      )}

      <OutcomeMessage outcome={outcome} control="active" />
      <ResetPasswordForm account={account} onOutcome={setOutcome} />
      <OutcomeMessage outcome={outcome} control="password" />
      <button type="button" className="button button--quiet" onClick={onDone}>
        Done
      </button>
    </div>
  );
}

function MoveTeamForm({ account, directory, onMove }: { account: UserAccount; directory: Directory; onMove: (change: UserChange) => void }) {
  // Untouched selects follow the account as it changes.
  const [chosenTeam, setTeamId] = useState<string | null>(null);
  const [chosenService, setServiceId] = useState<string | null>(null);
  const teamId = chosenTeam ?? account.teamId;
  const serviceId = chosenService ?? account.serviceId;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onMove(teamId ? { teamId } : { teamId, serviceId });
  };
  return (
    <form className="person-action" onSubmit={submit} noValidate>
      <SelectField label="Team" hint="They get the new team’s manager as their line manager." value={teamId} onChange={(e) => setTeamId(e.target.value)}>
        <option value="">No team</option>
        {directory.teams.map((team) => (
          <option key={team.id} value={team.id}>
            {team.name}
          </option>
        ))}
      </SelectField>
      {teamId === '' && (
        <SelectField label="Service" hint="For someone above teams, such as a head of service." value={serviceId} onChange={(e) => setServiceId(e.target.value)}>
          <option value="">No service</option>
          {directory.services.map((service) => (
            <option key={service.id} value={service.id}>
              {service.name}
            </option>
          ))}
        </SelectField>
      )}
      <button type="submit" className="button">
        Move to another team
      </button>
    </form>
  );
}

/** Who can be someone's line manager: '' for their team's manager (nobody without a team), or any active person but them. */
function ManagerOptions({ accounts, directory, teamId, exceptId }: { accounts: UserAccount[]; directory: Directory; teamId: string; exceptId?: string }) {
  const teamManagerId = directory.teams.find((t) => t.id === teamId)?.managerId;
  const teamManager = teamManagerId ? accounts.find((a) => a.id === teamManagerId) : undefined;
  return (
    <>
      <option value="">{!teamId ? 'No line manager' : teamManager ? `The team’s manager (${teamManager.displayName})` : 'The team’s manager'}</option>
      {accounts
        .filter((a) => a.id !== exceptId && a.active)
        .map((a) => (
          <option key={a.id} value={a.id}>
            {a.displayName}, {roleLabels[a.role]}
          </option>
        ))}
    </>
  );
}

function LineManagerForm({
  account,
  accounts,
  directory,
  onChange,
}: {
  account: UserAccount;
  accounts: UserAccount[];
  directory: Directory;
  onChange: (managerId: string) => void;
}) {
  const [chosen, setManagerId] = useState<string | null>(null);
  const managerId = chosen ?? account.managerId;
  const current = accounts.find((a) => a.id === account.managerId);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(managerId);
  };
  return (
    <form className="person-action" onSubmit={submit} noValidate>
      <SelectField label="Line manager" hint="Line management decides which records managers can read." value={managerId} onChange={(e) => setManagerId(e.target.value)}>
        <ManagerOptions accounts={accounts} directory={directory} teamId={account.teamId} exceptId={account.id} />
        {current && !current.active && <option value={current.id}>{current.displayName} (deactivated)</option>}
      </SelectField>
      <button type="submit" className="button">
        Change line manager
      </button>
    </form>
  );
}

function RoleForm({ account, onChange }: { account: UserAccount; onChange: (role: Role) => void }) {
  const [chosen, setRole] = useState<Role | null>(null);
  const role = chosen ?? account.role;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(role);
  };
  return (
    <form className="person-action" onSubmit={submit} noValidate>
      <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
        <RoleOptions />
      </SelectField>
      <button type="submit" className="button">
        Change role
      </button>
    </form>
  );
}

/** Where urgent notices are emailed; checked here as the server checks it. */
function EmailForm({ account, onChange }: { account: UserAccount; onChange: (email: string) => void }) {
  const [chosen, setEmail] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const email = chosen ?? account.email ?? '';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = emailField.safeParse(email);
    if (!checked.success) return setProblem(checked.error.issues[0]!.message);
    setProblem(null);
    onChange(checked.data);
  };
  return (
    <form className="person-action" onSubmit={submit} noValidate>
      <TextField label="Email" hint="Leave it empty for no email." type="email" autoComplete="off" autoCapitalize="none" spellCheck={false} value={email} error={problem ?? undefined} onChange={(e) => setEmail(e.target.value)} />
      <button type="submit" className="button">
        Change email
      </button>
    </form>
  );
}

function RoleOptions() {
  return roles.map((role) => (
    <option key={role} value={role}>
      {roleLabels[role]}
    </option>
  ));
}

/** Deactivate (after a confirmation) or reactivate; the button stays the same element, so it keeps the focus. */
function ActivationControl({ name, active, onDeactivate, onReactivate }: { name: string; active: boolean; onDeactivate: () => void; onReactivate: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const questionRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  useEffect(() => {
    // Take the focus to the question when it opens, and back to the button when it closes.
    if (confirming) questionRef.current?.focus();
    else if (wasConfirming.current) buttonRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  if (confirming)
    return (
      <div ref={questionRef} className="confirm" tabIndex={-1} role="group" aria-label={`Deactivate ${name}?`}>
        <p>
          <strong>Deactivate {name}?</strong> They will be signed out on every device at once and lose access to every record.
        </p>
        <div className="confirm-actions">
          <button
            type="button"
            className="button button--danger"
            onClick={() => {
              onDeactivate();
              setConfirming(false);
            }}
          >
            Yes, deactivate {name}
          </button>
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      </div>
    );
  return (
    <div className="person-action">
      <button ref={buttonRef} type="button" className="button" onClick={() => (active ? setConfirming(true) : onReactivate())}>
        {active ? 'Deactivate' : 'Reactivate'}
      </button>
    </div>
  );
}

function ResetPasswordForm({ account, onOutcome }: { account: UserAccount; onOutcome: (outcome: Outcome) => void }) {
  const reset = useResetPassword();
  const form = useForm({ resolver: zodResolver(passwordResetSchema), defaultValues: { password: '' } });
  const submit = form.handleSubmit(async ({ password }) => {
    onOutcome({ control: 'password', kind: 'working', text: 'Resetting the password…' });
    try {
      await reset.mutateAsync({ id: account.id, password });
      form.reset();
      onOutcome({ control: 'password', kind: 'done', text: `Password reset. ${account.displayName} is signed out everywhere and must sign in with the new password.` });
    } catch (error) {
      onOutcome({ control: 'password', kind: 'problem', text: messageOf(error) });
    }
  });
  return (
    <form className="person-action" onSubmit={submit} noValidate>
      <TextField
        label="New password"
        hint="At least 8 characters."
        type="password"
        autoComplete="new-password"
        error={form.formState.errors.password?.message}
        {...form.register('password')}
      />
      <button type="submit" className="button" disabled={form.formState.isSubmitting}>
        Reset password
      </button>
    </form>
  );
}

const emptyNewUser: NewUserRequest = { displayName: '', username: '', role: 'practitioner', teamId: '', serviceId: '', managerId: '', password: '', email: '' };

function AddPersonForm({ accounts, directory }: { accounts: UserAccount[]; directory: Directory }) {
  const headingId = useId();
  const add = useAddUser();
  const [added, setAdded] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm({ resolver: zodResolver(newUserRequestSchema), defaultValues: emptyNewUser });
  const { errors, isSubmitting } = form.formState;
  const teamId = form.watch('teamId');

  const submit = form.handleSubmit(async (values) => {
    setAdded(null);
    setFailure(null);
    try {
      // A team decides the service; the service is only for people above teams.
      const account = await add.mutateAsync({ ...values, serviceId: values.teamId ? '' : values.serviceId });
      form.reset();
      setAdded(`Added ${account.displayName}.`);
    } catch (error) {
      setFailure(failureOf(error) === 'offline' ? offlineMessage : messageOf(error));
    }
  });

  return (
    <section aria-labelledby={headingId} className="add-person">
      <h2 id={headingId}>Add a person</h2>
      {failure && (
        <p className="alert alert--error" role="alert">
          {failure}
        </p>
      )}
      <div role="status">{added && <p className="alert alert--success">{added}</p>}</div>
      <form onSubmit={submit} noValidate aria-labelledby={headingId}>
        <TextField label="Name" autoComplete="off" error={errors.displayName?.message} {...form.register('displayName')} />
        <TextField
          label="Username"
          hint="What they sign in with: letters, numbers, dots, dashes and underscores, such as sw.ahmed."
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          error={errors.username?.message}
          {...form.register('username')}
        />
        <SelectField label="Role" error={errors.role?.message} {...form.register('role')}>
          <RoleOptions />
        </SelectField>
        <SelectField label="Team" error={errors.teamId?.message} {...form.register('teamId')}>
          <option value="">No team</option>
          {directory.teams.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </SelectField>
        {teamId === '' && (
          <SelectField label="Service" hint="For someone above teams, such as a head of service." error={errors.serviceId?.message} {...form.register('serviceId')}>
            <option value="">No service</option>
            {directory.services.map((service) => (
              <option key={service.id} value={service.id}>
                {service.name}
              </option>
            ))}
          </SelectField>
        )}
        <SelectField label="Line manager" hint="Line management decides which records managers can read." error={errors.managerId?.message} {...form.register('managerId')}>
          <ManagerOptions accounts={accounts} directory={directory} teamId={teamId} />
        </SelectField>
        <TextField
          label="Email (optional)"
          hint="Immediate concerns, overdue actions and follow-ups are also emailed here when the server sends email."
          type="email"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          error={errors.email?.message}
          {...form.register('email')}
        />
        <TextField
          label="Password"
          hint="At least 8 characters. They sign in with it for the first time."
          type="password"
          autoComplete="new-password"
          error={errors.password?.message}
          {...form.register('password')}
        />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={isSubmitting}>
            {isSubmitting ? 'Adding…' : 'Add person'}
          </button>
        </div>
      </form>
    </section>
  );
}
