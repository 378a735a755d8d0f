/** Node's file-system errors (errno exceptions) and one-line descriptions of them. */
export function isFsError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === "string";
}

export function describeFsError(error: unknown): string {
  if (!isFsError(error)) return String(error);
  switch (error.code) {
    case "ENOENT":
      return "no such file";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "is a directory, not a file";
    case "ENOTDIR":
    case "EEXIST":
      return "a file stands where a folder should be";
    case "ENOSPC":
      return "no space left on the device";
    case "EROFS":
      return "the file system is read-only";
    default:
      return error.message;
  }
}
