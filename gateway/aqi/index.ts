// VN_AQI, the Vietnamese air-quality index of Quyết định 1459/QĐ-TCMT (12/11/2019): its
// tables, its hourly and daily index, and a station's rolling window. docs/air-quality.md
// says what is computed and where each number comes from. bands.ts and breakpoints.ts are
// plain data: the dashboard imports them directly, not through this file.
export { AQI_BANDS, BAND_IDS, SENSITIVE_PEOPLE, bandOf, type AqiBand, type BandId, type Words } from './bands.js'
export { BREAKPOINTS, CONCENTRATION_UNIT, INDEX_STEPS, POLLUTANTS, POLLUTANT_INFO, type Pollutant, type Scale } from './breakpoints.js'
export { ConcentrationError, checkConcentration, roundIndex, subIndex, type SubIndex } from './sub-index.js'
export { NOWCAST_HOURS, nowcast } from './nowcast.js'
export { hourlyAqi, type HourSeries, type HourlyResult } from './hourly.js'
export { MIN_HOURS_OF_8H, MIN_HOURS_OF_DAY, dailyAqi, max8hMean, type DailyResult, type DayHours } from './daily.js'
export { stationIndex, type AqiResult } from './station-index.js'
export { AirWindow, HOUR_MS, MIN_QUARTERS, hourStartOf, localDayStartOf, oldestNeeded } from './window.js'
