/**
 * Opens the artifact store a location names: `s3://bucket/prefix` → S3, anything else → a local
 * folder (resolved against the working directory).
 */
import path from 'node:path';
import type { ArtifactStore } from './artifact-store';
import { LocalArtifactStore } from './local-store';
import { bucketProblem, S3ArtifactStore, type S3Credentials } from './s3-store';

export interface OpenStoreOptions {
  /** An S3-compatible server, e.g. `http://127.0.0.1:8333` (SeaweedFS); omitted = AWS. */
  s3Endpoint?: string;
  region?: string;
  credentials?: S3Credentials;
}

/** `s3://bucket/a/b/` → { bucket, prefix: 'a/b' }; undefined when `location` is not an S3 URL. */
export function parseS3Location(location: string): { bucket: string; prefix: string } | undefined {
  if (!/^s3:/i.test(location)) return undefined;
  const match = /^s3:\/\/([^/]*)\/?(.*)$/i.exec(location);
  const invalid = (why: string) => new Error(`invalid S3 location "${location}": ${why}`);
  if (!match) throw invalid('expected s3://bucket or s3://bucket/prefix');
  const [, bucket = '', rawPrefix = ''] = match;
  if (bucket === '') throw invalid('it names no bucket (expected s3://bucket/prefix)');
  const problem = bucketProblem(bucket);
  if (problem) throw invalid(problem);
  return { bucket, prefix: rawPrefix.replace(/\/+$/, '') };
}

export function openArtifactStore(location: string, options: OpenStoreOptions = {}): ArtifactStore {
  const s3 = parseS3Location(location);
  if (!s3) return new LocalArtifactStore(path.resolve(location));
  return new S3ArtifactStore({ ...s3, endpoint: options.s3Endpoint, region: options.region, credentials: options.credentials });
}
