import { SvodkaError } from '../sdk/errors.js';

/**
 * The one way to build a job or scheduler id. BullMQ rejects custom ids that contain ':' (its key
 * separator) or are bare integers, so parts are percent-encoded (':' becomes %3A) and joined with '.',
 * and the first part is a name that starts with a letter.
 */
export function jobId(name: string, ...parts: (string | number)[]): string {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) {
    throw new SvodkaError('job_id_invalid', `job id name ${JSON.stringify(name)}: lowercase letters, digits and "-"`);
  }
  const encoded = parts.map((p) =>
    encodeURIComponent(String(p)).replace(/[.!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  );
  return [name, ...encoded].join('.');
}
