/**
 * An artifact store in an S3 bucket (AWS or an S3-compatible server such as the local SeaweedFS),
 * under an optional key prefix: key `a/b.json` of `s3://bucket/runs` is the object `runs/a/b.json`.
 * S3 PUTs replace whole objects, so writes are atomic and overwrite like the local store's.
 */
import {
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  NoSuchBucket,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { assertKey, assertPrefix, BaseArtifactStore, contentTypeFor, keyProblem } from './artifact-store';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface S3StoreOptions {
  bucket: string;
  /** Key prefix inside the bucket, without leading or trailing '/'; '' (default) = the whole bucket. */
  prefix?: string;
  /** An S3-compatible server, e.g. `http://127.0.0.1:8333` (SeaweedFS); omitted = AWS. Path-style addressing is used with it. */
  endpoint?: string;
  /** Default `us-east-1` (SeaweedFS accepts any). */
  region?: string;
  /**
   * Omitted: on a local endpoint (localhost, 127.x, ::1) a fixed dummy pair, since the local
   * SeaweedFS has no identities and accepts any signature, and the SDK's default chain would
   * otherwise fail with "Could not load credentials"; elsewhere the SDK's default chain
   * (environment, profile, instance role).
   */
  credentials?: S3Credentials;
  /** Keys per ListObjectsV2 page (default and S3's maximum: 1000). */
  pageSize?: number;
}

const LOCAL_DUMMY_CREDENTIALS: S3Credentials = { accessKeyId: 'personaact-local', secretAccessKey: 'personaact-local' };

/** Why `bucket` is not a valid S3 bucket name, or undefined. */
export function bucketProblem(bucket: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    return "bucket names have 3-63 characters: lowercase letters, digits, '.' and '-', starting and ending with a letter or digit";
  }
  return undefined;
}

function isLocalEndpoint(endpoint: string): boolean {
  let hostname;
  try {
    ({ hostname } = new URL(endpoint));
  } catch {
    throw new Error(`invalid S3 endpoint "${endpoint}": expected a URL such as http://127.0.0.1:8333`);
  }
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

const httpStatus = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

export class S3ArtifactStore extends BaseArtifactStore {
  readonly location: string;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly region: string;
  private readonly pageSize: number;
  /** Names the server in errors. */
  private readonly server: string;
  private readonly client: S3Client;

  constructor(options: S3StoreOptions) {
    super();
    const { bucket, prefix = '', endpoint, region = 'us-east-1', pageSize = 1000 } = options;
    const problem = bucketProblem(bucket) ?? (prefix === '' ? undefined : keyProblem(prefix));
    if (problem) throw new Error(`invalid S3 location s3://${bucket}/${prefix}: ${problem}`);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) throw new RangeError(`pageSize must be 1..1000, got ${pageSize}`);
    this.bucket = bucket;
    this.prefix = prefix;
    this.region = region;
    this.pageSize = pageSize;
    this.location = `s3://${bucket}${prefix ? `/${prefix}` : ''}`;
    this.server = endpoint ?? `AWS S3 (${region})`;
    const credentials = options.credentials ?? (endpoint !== undefined && isLocalEndpoint(endpoint) ? LOCAL_DUMMY_CREDENTIALS : undefined);
    this.client = new S3Client({
      region,
      ...(endpoint !== undefined ? { endpoint, forcePathStyle: true } : { followRegionRedirects: true }),
      ...(credentials ? { credentials } : {}),
    });
  }

  locate(key: string): string {
    assertKey(key);
    return `${this.location}/${key}`;
  }

  private objectKey(key: string): string {
    assertKey(key);
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  private failure(action: string, target: string, error: unknown): Error {
    const { name, message } = error as Error;
    const status = httpStatus(error);
    const hint =
      error instanceof NoSuchBucket
        ? ' (create it with ensureBucket(), or check the name)'
        : status === 403 // SeaweedFS also answers a PutObject into a missing bucket with 403 AccessDenied
          ? ' (check the credentials, and that the bucket exists: ensureBucket() creates it)'
          : '';
    return new Error(
      `S3 ${action} of ${target} at ${this.server} failed: ${name}${status ? ` (HTTP ${status})` : ''}: ${message}${hint}`,
      { cause: error },
    );
  }

  /** Creates the bucket unless it exists. Idempotent; safe when two workers race. */
  async ensureBucket(): Promise<void> {
    const target = `s3://${this.bucket}`;
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return;
    } catch (error) {
      if (httpStatus(error) !== 404) throw this.failure('HeadBucket', target, error);
    }
    try {
      await this.client.send(
        new CreateBucketCommand({
          Bucket: this.bucket,
          // us-east-1 is S3's default location and must not be named.
          ...(this.region !== 'us-east-1'
            ? { CreateBucketConfiguration: { LocationConstraint: this.region as BucketLocationConstraint } }
            : {}),
        }),
      );
    } catch (error) {
      if (!(error instanceof BucketAlreadyOwnedByYou)) throw this.failure('CreateBucket', target, error);
    }
  }

  async put(key: string, body: Uint8Array | string, contentType = contentTypeFor(key)): Promise<void> {
    const Key = this.objectKey(key);
    try {
      await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: body, ContentType: contentType }));
    } catch (error) {
      throw this.failure('PutObject', this.locate(key), error);
    }
  }

  async get(key: string): Promise<Buffer | undefined> {
    const Key = this.objectKey(key);
    try {
      const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key }));
      if (Body === undefined) return Buffer.alloc(0);
      const bytes = await Body.transformToByteArray();
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw this.failure('GetObject', this.locate(key), error);
    }
  }

  async delete(key: string): Promise<void> {
    const Key = this.objectKey(key);
    try {
      // S3 answers a missing key with success too.
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
    } catch (error) {
      throw this.failure('DeleteObject', this.locate(key), error);
    }
  }

  async list(prefix: string): Promise<string[]> {
    assertPrefix(prefix);
    const base = this.prefix ? `${this.prefix}/` : '';
    const keys: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: base + prefix, MaxKeys: this.pageSize, ContinuationToken }),
        );
      } catch (error) {
        throw this.failure('ListObjectsV2', `${this.location}/${prefix}`, error);
      }
      for (const { Key } of page.Contents ?? []) {
        // Objects written by other tools ("folder/" markers, '..' segments) are not keys of this store.
        const key = Key?.slice(base.length);
        if (key !== undefined && keyProblem(key) === undefined) keys.push(key);
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken !== undefined);
    return keys.sort();
  }
}
