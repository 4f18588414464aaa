/** Human names for the codecs we recognise but do not decode, so errors can say what a file is. */

const WAV_FORMAT_TAGS = new Map<number, string>([
  [0x0002, "Microsoft ADPCM"],
  [0x0006, "A-law"],
  [0x0007, "µ-law"],
  [0x0010, "OKI ADPCM"],
  [0x0011, "IMA ADPCM"],
  [0x0014, "G.723 ADPCM"],
  [0x0020, "Yamaha ADPCM"],
  [0x0022, "TrueSpeech"],
  [0x0031, "GSM 6.10"],
  [0x0040, "G.721 ADPCM"],
  [0x0042, "G.723.1"],
  [0x0045, "G.726 ADPCM"],
  [0x0050, "MPEG audio (Layer I/II)"],
  [0x0055, "MP3"],
  [0x0064, "G.726 ADPCM"],
  [0x0065, "G.722 ADPCM"],
  [0x00ff, "AAC"],
  [0x0160, "Windows Media Audio v1"],
  [0x0161, "Windows Media Audio"],
  [0x0162, "Windows Media Audio Pro"],
  [0x0163, "Windows Media Audio Lossless"],
  [0x0200, "Creative ADPCM"],
  [0x1610, "HE-AAC"],
  [0x2000, "AC-3"],
  [0x2001, "DTS"],
  [0x674f, "Ogg Vorbis"],
  [0x6750, "Ogg Vorbis"],
  [0x6751, "Ogg Vorbis"],
  [0x676f, "Ogg Vorbis"],
  [0x6770, "Ogg Vorbis"],
  [0x6771, "Ogg Vorbis"],
  [0xf1ac, "FLAC"],
]);

/** Name of a WAV `wFormatTag` (or sub-format code) we do not decode. */
export function wavCodecName(formatTag: number): string {
  const hex = `0x${formatTag.toString(16).padStart(4, "0")}`;
  const name = WAV_FORMAT_TAGS.get(formatTag);
  return name ? `${name} in WAV (format tag ${hex})` : `WAV format tag ${hex}`;
}

const AIFC_COMPRESSION: Record<string, string> = {
  ulaw: "µ-law",
  ULAW: "µ-law",
  alaw: "A-law",
  ALAW: "A-law",
  ima4: "IMA ADPCM",
  MAC3: "MACE 3:1",
  MAC6: "MACE 6:1",
  "GSM ": "GSM 6.10",
  Qclp: "QUALCOMM PureVoice",
  QDMC: "QDesign Music",
  QDM2: "QDesign Music 2",
  ".mp3": "MP3",
  alac: "Apple Lossless",
  "aac ": "AAC",
};

/** Name of an AIFF-C compression type we do not decode. */
export function aifcCodecName(compressionType: string): string {
  const printable = compressionType.replace(/[^\x20-\x7e]/g, "?");
  const name = AIFC_COMPRESSION[compressionType];
  return name ? `${name} in AIFF-C ("${printable}")` : `AIFF-C compression "${printable}"`;
}
