/**
 * Constants of ITU-T G.722 (09/2012), 64 kbit/s SB-ADPCM: quantizer decision
 * and output levels, log scale-factor multipliers, the inverse-log table and
 * the 24 QMF coefficients. Values are those of the Recommendation.
 */

/** §3.3 (QUANTL): lower sub-band 6-bit quantizer decision levels, ×8 before scaling by DETL. */
export const Q6 = Int16Array.of(
  0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714,
  786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919, 3200,
);

/** §3.3 (QUANTL): 6-bit code for a decision interval `mil` (1..30), negative (index 0) and positive (index 1) difference. */
export const LOWER_CODE_NEGATIVE = Int8Array.of(
  0, 0x3f, 0x3e, 0x1f, 0x1e, 0x1d, 0x1c, 0x1b, 0x1a, 0x19, 0x18, 0x17, 0x16, 0x15, 0x14, 0x13,
  0x12, 0x11, 0x10, 0x0f, 0x0e, 0x0d, 0x0c, 0x0b, 0x0a, 0x09, 0x08, 0x07, 0x06, 0x05, 0x04, 0,
);
export const LOWER_CODE_POSITIVE = Int8Array.of(
  0, 0x3d, 0x3c, 0x3b, 0x3a, 0x39, 0x38, 0x37, 0x36, 0x35, 0x34, 0x33, 0x32, 0x31, 0x30, 0x2f,
  0x2e, 0x2d, 0x2c, 0x2b, 0x2a, 0x29, 0x28, 0x27, 0x26, 0x25, 0x24, 0x23, 0x22, 0x21, 0x20, 0,
);

/** §3.4 (INVQAL): 4-bit truncated code → magnitude index, sign, and output level (×8 before scaling). */
export const RIL4 = Int8Array.of(0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0);
export const RISIL4_NEGATIVE = Uint8Array.of(0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
export const OQ4 = Int16Array.of(0, 150, 323, 530, 786, 1121, 1612, 2557);

/** §4.1 (INVQBL, mode 1): 6-bit code → magnitude index, sign, and output level (×8 before scaling). */
export const RIL6 = Int8Array.of(
  1, 1, 1, 1, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19,
  18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3,
  30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15,
  14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 2, 1,
);
export const RISI6_NEGATIVE = Uint8Array.of(
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1,
);
export const OQ6 = Int16Array.of(
  0, 17, 54, 91, 130, 170, 211, 254, 300, 347, 396, 447, 501, 558, 618, 682,
  750, 822, 899, 982, 1072, 1170, 1279, 1399, 1535, 1689, 1873, 2088, 2376, 2738, 3101,
);

/** §3.5 (LOGSCL): log scale-factor multipliers by 4-bit magnitude index. */
export const WL = Int16Array.of(-60, -30, 58, 172, 334, 538, 1198, 3042);

/** §3.3 (QUANTH): the higher sub-band decision level (×8 before scaling by DETH). */
export const Q2 = 564;
/** §3.3 (QUANTH): 2-bit code for negative/positive difference and interval 1/2. */
export const HIGHER_CODE_NEGATIVE = Int8Array.of(0, 1, 0);
export const HIGHER_CODE_POSITIVE = Int8Array.of(0, 3, 2);
/** §3.4 (INVQAH): 2-bit code → magnitude index, sign, output level; §3.5 (LOGSCH) multipliers. */
export const IH2 = Int8Array.of(2, 1, 2, 1);
export const SIH_NEGATIVE = Uint8Array.of(1, 1, 0, 0);
export const OQ2 = Int16Array.of(0, 202, 926);
export const WH = Int16Array.of(0, -214, 798);

/** §3.5 (SCALEL/SCALEH): the inverse-log table ILA, ≈ 2^(i/32 + 1) − 1. */
export const ILA = Int16Array.of(
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
  3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4,
  4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6,
  7, 7, 7, 7, 7, 7, 8, 8, 8, 8, 8, 9, 9, 9, 9, 10,
  10, 10, 10, 11, 11, 11, 11, 12, 12, 12, 13, 13, 13, 13, 14, 14,
  15, 15, 15, 16, 16, 16, 17, 17, 18, 18, 18, 19, 19, 20, 20, 21,
  21, 22, 22, 23, 23, 24, 24, 25, 25, 26, 27, 27, 28, 28, 29, 30,
  31, 31, 32, 33, 33, 34, 35, 36, 37, 37, 38, 39, 40, 41, 42, 43,
  44, 45, 46, 47, 48, 49, 50, 51, 52, 54, 55, 56, 57, 58, 60, 61,
  63, 64, 65, 67, 68, 70, 71, 73, 75, 76, 78, 80, 82, 83, 85, 87,
  89, 91, 93, 95, 97, 99, 102, 104, 106, 109, 111, 113, 116, 118, 121, 124,
  127, 129, 132, 135, 138, 141, 144, 147, 151, 154, 157, 161, 165, 168, 172, 176,
  180, 184, 188, 192, 196, 200, 205, 209, 214, 219, 223, 228, 233, 238, 244, 249,
  255, 260, 266, 272, 278, 284, 290, 296, 303, 310, 316, 323, 331, 338, 345, 353,
  361, 369, 377, 385, 393, 402, 411, 420, 429, 439, 448, 458, 468, 478, 489, 500,
  511, 522, 533, 545, 557, 569, 582, 594, 607, 621, 634, 648, 663, 677, 692, 707,
  723, 739, 755, 771, 788, 806, 823, 841, 860, 879, 898, 918, 938, 958, 979, 1001,
  1023, 1045, 1068, 1092, 1115, 1140, 1165, 1190, 1216, 1243, 1270, 1298, 1327, 1356, 1386, 1416,
  1447, 1479, 1511, 1544, 1578, 1613, 1648, 1684, 1721, 1759, 1797, 1837, 1877, 1918, 1960, 2003,
  2047, 2092, 2138, 2185, 2232, 2281, 2331, 2382, 2434, 2488, 2542, 2598, 2655, 2713, 2773, 2833,
  2895, 2959, 3024, 3090, 3157, 3227, 3297, 3370, 3443, 3519, 3596, 3675, 3755, 3837, 3921, 4007,
  4095,
);

/**
 * §3.1 / §4.4: the 24 QMF coefficients h0..h23 (symmetric), doubled as
 * in the reference arithmetic so the products are summed at 2^-13 and shifted once.
 */
export const QMF_COEFFICIENTS_X2 = Int32Array.of(
  3, -11, -11, 53, 12, -156, 32, 362, -210, -805, 951, 3876,
  3876, 951, -805, -210, 362, 32, -156, 12, 53, -11, -11, 3,
).map((h) => h * 2);
