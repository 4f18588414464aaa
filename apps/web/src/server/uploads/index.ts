export {
  analyzeWithCli,
  type CliAnalyzerOptions,
  createCliAnalyzer,
  DEFAULT_ANALYSIS_TIMEOUT_MS,
  resolveCliPath,
} from "./analyzeWithCli";
export {
  DEFAULT_MAX_UPLOAD_BYTES,
  FILE_NAME_HEADER,
  handleUpload,
  type UploadDeps,
  type UploadedAsset,
} from "./handleUpload";
export { sweepUploadTemps } from "./receiveUpload";
export { UploadAnalysis, type UploadFigures } from "./uploadAnalysis";
export { UploadError, type UploadErrorCode } from "./uploadError";
