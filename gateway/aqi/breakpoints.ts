// Bảng 2 of the VN_AQI guideline (Quyết định 1459/QĐ-TCMT, 12/11/2019): the concentration
// breakpoints BP_i against the index values I_i, every concentration in µg/m³ (CO too:
// 10.000 µg/m³ = 10 mg/m³). Plain data; no imports, so the dashboard and the docs can use it.
//
//   i   I_i   O3(1h)  O3(8h)  CO       SO2    NO2    PM10  PM2.5
//   1     0       0       0        0     0      0      0     0
//   2    50     160     100   10 000   125    100     50    25
//   3   100     200     120   30 000   350    200    150    50
//   4   150     300     170   45 000   550    700    250    80
//   5   200     400     210   60 000   800  1 200    350   150
//   6   300     800     400   90 000 1 600  2 350    420   250
//   7   400   1 000       –  120 000 2 100  3 100    500   350
//   8   500 ≥ 1 200       – ≥150 000 ≥2 630 ≥3 850  ≥600  ≥500

export const POLLUTANTS = ['pm25', 'pm10', 'o3', 'no2', 'so2', 'co'] as const
export type Pollutant = (typeof POLLUTANTS)[number]

/** A column of Bảng 2: O3 has two, the 1-hour one and the 8-hour one (daily index only). */
export type Scale = Pollutant | 'o3_8h'

/** I_i, the index at each breakpoint (the "Ii" column). */
export const INDEX_STEPS = [0, 50, 100, 150, 200, 300, 400, 500] as const

/** BP_i per column, µg/m³; O3 (8h) stops at I = 300 ("–" below it in the table). */
export const BREAKPOINTS: Readonly<Record<Scale, readonly number[]>> = {
  o3: [0, 160, 200, 300, 400, 800, 1000, 1200],
  o3_8h: [0, 100, 120, 170, 210, 400],
  co: [0, 10_000, 30_000, 45_000, 60_000, 90_000, 120_000, 150_000],
  so2: [0, 125, 350, 550, 800, 1600, 2100, 2630],
  no2: [0, 100, 200, 700, 1200, 2350, 3100, 3850],
  pm10: [0, 50, 150, 250, 350, 420, 500, 600],
  pm25: [0, 25, 50, 80, 150, 250, 350, 500]
}

export interface PollutantInfo {
  /** How the guideline and the stations write it. */
  label: string
  vi: string
  en: string
  /**
   * Above this a reading is refused as a broken sensor, not indexed: ten times the top
   * breakpoint. This bound is ours (the guideline sets none); the index itself stops at 500.
   */
  plausibleMax: number
}

export const POLLUTANT_INFO: Readonly<Record<Pollutant, PollutantInfo>> = {
  pm25: { label: 'PM2.5', vi: 'bụi mịn PM2.5', en: 'fine particles PM2.5', plausibleMax: 5000 },
  pm10: { label: 'PM10', vi: 'bụi PM10', en: 'particles PM10', plausibleMax: 6000 },
  o3: { label: 'O3', vi: 'ôzôn', en: 'ozone', plausibleMax: 12_000 },
  no2: { label: 'NO2', vi: 'nitơ đioxit', en: 'nitrogen dioxide', plausibleMax: 38_500 },
  so2: { label: 'SO2', vi: 'lưu huỳnh đioxit', en: 'sulphur dioxide', plausibleMax: 26_300 },
  co: { label: 'CO', vi: 'cacbon monoxit', en: 'carbon monoxide', plausibleMax: 1_500_000 }
}

/** The guideline's unit for every concentration. */
export const CONCENTRATION_UNIT = 'µg/m³'
