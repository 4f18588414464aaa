export { createAsset, type ListAssetsOptions, listAssets, MAX_ASSET_BYTES, type NewAsset } from "./assets";
export { createClass, isRole, joinClass, newInviteCode, ROLES, type Role } from "./classes";
export { createDb, type Db } from "./client";
export { DbError, isUniqueViolation } from "./errors";
export {
  claimedElsewhere,
  claimLoudnessGain,
  findLoudnessGain,
  type GainClaim,
  type LoudnessGainRow,
  releaseLoudnessGainClaim,
  renewLoudnessGainClaim,
  saveLoudnessGain,
} from "./loudnessGains";
export { hashPassword, verifyPassword } from "./passwords";
export { createProject, deleteProject } from "./projects";
export { DbConfigError, type DbProvider, providerFromUrl } from "./provider";
export {
  defaultBackoffMs,
  PrismaJobQueue,
  type PrismaJobQueueOptions,
  type QueuedJob,
  type RenderJobRef,
  type RenderJobStatus,
} from "./renderJobs";
export { createShareLink, findActiveShareLink, newShareToken } from "./share-links";
export {
  type BlobRef,
  type BlobSource,
  type BlobStore,
  blobKey,
  type PutOptions,
  parseBlobKey,
  StorageError,
  type StorageErrorCode,
} from "./storage/blobStore";
export { LocalBlobStore, type LocalBlobStoreOptions } from "./storage/localBlobStore";
export { MemoryBlobStore } from "./storage/memoryBlobStore";
export { createUser, credentialHash, type NewUser, placeholderEmail } from "./users";
