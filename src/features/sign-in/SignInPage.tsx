/** Sign-in with a username and password. Needs the server once per person per device. */
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Navigate, useNavigate } from 'react-router';
import { signInRequestSchema, type SignInRequest } from '../../../domain/auth';
import { TextField } from '../../components/fields';
import { signIn } from '../../data/api';
import { cacheDirectory } from '../../data/directory';
import { fetchDirectory } from '../../data/api';
import { useSessionContext } from '../../data/sessionContext';
import { requestPersistentStorage } from '../../data/storageHealth';
import { paths } from '../../lib/routes';

export function SignInPage() {
  const { session, startSession } = useSessionContext();
  const navigate = useNavigate();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<SignInRequest>({ resolver: zodResolver(signInRequestSchema), defaultValues: { username: '', password: '' } });
  const { errors, isSubmitting } = form.formState;

  if (session) return <Navigate to={paths.home} replace />;

  const onSubmit = form.handleSubmit(async (values) => {
    setFailure(null);
    try {
      const result = await signIn(values);
      // Cache what the tablet needs to work offline before going on: the directory.
      await cacheDirectory(result.user.id, await fetchDirectory(result.token));
      void requestPersistentStorage();
      startSession(result);
      navigate(paths.home, { replace: true });
    } catch (error) {
      setFailure(error instanceof Error ? error.message : 'Signing in failed. Try again.');
    }
  });

  return (
    <main className="sign-in" id="main">
      <h1>Sign in to Fieldnotes</h1>
      <p>Sign in once with a connection; after that Fieldnotes works on this tablet with no signal.</p>
      {failure && (
        <div className="alert alert--error" role="alert">
          {failure}
        </div>
      )}
      <form onSubmit={onSubmit} noValidate>
        <TextField label="Username" autoComplete="username" autoCapitalize="none" spellCheck={false} error={errors.username?.message} {...form.register('username')} />
        <TextField label="Password" type="password" autoComplete="current-password" error={errors.password?.message} {...form.register('password')} />
        <button type="submit" className="button button--primary" disabled={isSubmitting}>
          {isSubmitting ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
