import { useStorageProblem } from '../data/storageHealth';

/** A clear message when this device refuses to store a change (a full disk is never silent). */
export function StorageWarning() {
  const problem = useStorageProblem();
  if (!problem) return null;
  return (
    <div className="alert alert--error storage-warning" role="alert">
      {problem.message}
    </div>
  );
}
