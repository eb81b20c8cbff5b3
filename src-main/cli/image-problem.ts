import { AppError } from '../../src-shared/contract/errors';

/**
 * An image file the CLI could not segment or report, explained with the reasons import gives (the one
 * reason table: services/import/probe.ts): "The file is empty (0 bytes)", "The JPEG file is cut short:
 * ...", never the decoder's own words ("Input file contains unsupported image format", "VipsJpeg: ...",
 * "Warning treated as error due to failOn setting"). Errors that are not about the image pass unchanged.
 */
export async function explainImageError(path: string, error: unknown): Promise<unknown> {
  if (!(error instanceof AppError) || error.code !== 'BAD_INPUT') return error;
  const { isFailure, probeImage } = await import('../services/import/probe');
  const probed = await probeImage(path).catch(() => null);
  if (probed && isFailure(probed)) return new AppError('BAD_INPUT', `${path}: ${probed.message}`, { file: path, reason: probed.code });
  // import would take it, so the problem is not the file's: keep the error, in plain words only
  return new AppError('BAD_INPUT', `${path}: ${plainDecoderText(error.message)}`, { file: path });
}

/** Drops the decoder's library wording from a message ("VipsJpeg: ...", "Input buffer contains ..."). */
export function plainDecoderText(message: string): string {
  const leaks = /VipsJpeg|VipsPng|vips_|Warning treated as error|failOn|Input (file|buffer) (contains|is)|unsupported image format/i;
  return leaks.test(message) ? 'the image cannot be decoded (corrupt or not an image)' : message;
}
