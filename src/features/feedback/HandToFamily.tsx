/**
 * "Let the family fill this in": the worker chooses a PIN and hands the tablet over. From then on the
 * tablet shows only this form, in plain words (FamilyModeScreen), until the PIN or the worker's password
 * is given.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useNavigate } from 'react-router';
import { z } from 'zod';
import { TextField } from '../../components/fields';
import type { RecordHandle } from '../../data/docs/openRecord';
import { pinPattern, startFamilyMode } from '../../data/familyMode';
import { paths } from '../../lib/routes';

const pinSchema = z
  .object({
    pin: z.string().regex(pinPattern, 'A PIN is 4 to 8 numbers.'),
    pinAgain: z.string(),
  })
  .refine((v) => v.pin === v.pinAgain, { path: ['pinAgain'], message: 'The two PINs are not the same. Type the PIN again.' });
type PinValues = z.infer<typeof pinSchema>;

export function HandToFamily({ handle, userId }: { handle: RecordHandle; userId: string }) {
  const [open, setOpen] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const navigate = useNavigate();
  const form = useForm<PinValues>({ resolver: zodResolver(pinSchema), defaultValues: { pin: '', pinAgain: '' } });
  const { errors, isSubmitting } = form.formState;

  const handOver = form.handleSubmit(async ({ pin }) => {
    setFailure(null);
    try {
      // The family writes it themselves: that is how this feedback was given.
      handle.setField('how', 'own-hand');
      await startFamilyMode(userId, handle.id, pin);
      navigate(paths.familyMode);
    } catch {
      setFailure('Family mode could not be started on this tablet. Try again, or write down what the family says yourself.');
    }
  });

  return (
    <section className="hand-over" aria-labelledby="hand-over-heading">
      <h2 id="hand-over-heading">Let the family fill this in</h2>
      <p>
        The tablet will show only this form, in plain words, with large buttons. It will not show any other record or anyone’s name. What they write is saved as they type. To leave
        it, you will need a PIN you choose now, or your password.
      </p>
      {!open ? (
        <button type="button" className="button" onClick={() => setOpen(true)}>
          Hand the tablet to the family
        </button>
      ) : (
        <form onSubmit={handOver} noValidate>
          {failure && (
            <div className="alert alert--error" role="alert">
              {failure}
            </div>
          )}
          <TextField
            label="Choose a PIN"
            hint="4 to 8 numbers. You will need it to take the tablet back."
            type="password"
            inputMode="numeric"
            autoComplete="new-password"
            error={errors.pin?.message}
            {...form.register('pin')}
          />
          <TextField label="Type the PIN again" type="password" inputMode="numeric" autoComplete="new-password" error={errors.pinAgain?.message} {...form.register('pinAgain')} />
          <div className="form-actions">
            <button type="submit" className="button button--primary" disabled={isSubmitting}>
              Hand over the tablet
            </button>
            <button type="button" className="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
