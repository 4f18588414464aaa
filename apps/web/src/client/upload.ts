// Sends a file as the raw request body (streamed by the browser; the server streams it to storage)
// and reports real upload progress. XHR rather than fetch: fetch has no upload progress events.

export interface UploadHandle {
  readonly done: Promise<{ ok: true; asset: unknown } | { ok: false; message: string }>;
  abort(): void;
}

export function uploadFile(projectId: string, file: File, onProgress: (fraction: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<{ ok: true; asset: unknown } | { ok: false; message: string }>((resolve) => {
    xhr.open("POST", `/api/projects/${encodeURIComponent(projectId)}/upload`);
    xhr.setRequestHeader("content-type", file.type || "application/octet-stream");
    xhr.setRequestHeader("x-file-name", encodeURIComponent(file.name));
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: { asset?: unknown; error?: { message?: string } } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {}
      if (xhr.status >= 200 && xhr.status < 300) resolve({ ok: true, asset: body.asset });
      else resolve({ ok: false, message: body.error?.message ?? `The upload failed (HTTP ${xhr.status}).` });
    };
    xhr.onerror = () => resolve({ ok: false, message: "The connection dropped during the upload. Try again." });
    xhr.onabort = () => resolve({ ok: false, message: "Upload cancelled." });
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}
