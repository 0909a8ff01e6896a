// Air-quality stations (trạm quan trắc không khí): PM2.5, PM10, CO, NO2, SO2 and O3, all in
// µg/m³ as the VN_AQI guideline takes them (Quyết định 1459/QĐ-TCMT), with temperature,
// humidity and battery. The gateway computes their hourly and daily VN_AQI (gateway/aqi/,
// docs/air-quality.md) and alarms when the air enters Xấu or worse.
import { POLLUTANT_INFO } from '../aqi/breakpoints.js'
import { POLLUTANT_FIELDS } from '../aqi/fields.js'
import { COMMON_FIELDS, REBOOTED, type FloatField, type KindDefinition } from './definition.js'

/** A pollutant's field: from 0 to what no ambient air holds (above it, a faulty analyser: refused at the door). */
const pollutant = (p: keyof typeof POLLUTANT_INFO): FloatField => ({
  type: 'float', min: 0, max: POLLUTANT_INFO[p].plausibleMax, unit: 'µg/m³', vi: POLLUTANT_INFO[p].vi, en: POLLUTANT_INFO[p].en
})

export const airQuality = {
  names: { vi: 'Trạm quan trắc không khí', en: 'Air-quality station' },
  idPrefix: 'aq',
  fields: {
    [POLLUTANT_FIELDS.pm25]: pollutant('pm25'),
    [POLLUTANT_FIELDS.pm10]: pollutant('pm10'),
    [POLLUTANT_FIELDS.co]: pollutant('co'),
    [POLLUTANT_FIELDS.no2]: pollutant('no2'),
    [POLLUTANT_FIELDS.so2]: pollutant('so2'),
    [POLLUTANT_FIELDS.o3]: pollutant('o3'),
    temperatureC: COMMON_FIELDS.temperatureC,
    humidityPct: { type: 'float', min: 0, max: 100, unit: '%', vi: 'độ ẩm', en: 'humidity' },
    batteryPct: COMMON_FIELDS.batteryPct
  },
  events: {
    sensor_fault: { vi: 'Lỗi máy phân tích', en: 'Analyser fault' }, low_battery: { vi: 'Pin yếu', en: 'Low battery' }, reboot: REBOOTED
  },
  commands: ['reboot'],
  // Stations send every five minutes: three missed readings and a quarter of an hour is offline.
  heartbeatS: 900,
  // The air is the commune's to warn about (officials broadcast the advice) and the operators'
  // to keep running; the police have nothing to do with it (docs/air-quality.md).
  watchers: ['official', 'operator'],
  toldFirst: ['official'],
  alarms: {
    // One alarm per station whose severity follows the band (gateway/aqi/alarm-stage.ts).
    air_quality: { severity: 'major', vi: 'Không khí ô nhiễm (VN_AQI)', en: 'Air polluted (VN_AQI)' },
    air_no_data: { severity: 'major', vi: 'Trạm không khí không gửi số liệu', en: 'Air station sends no data' },
    air_low_battery: { severity: 'warning', vi: 'Trạm không khí yếu pin', en: 'Air station battery low' }
  },
  page: { path: 'air', title: { vi: 'Chất lượng không khí', en: 'Air quality' }, marker: 'hexagon' }
} as const satisfies KindDefinition
