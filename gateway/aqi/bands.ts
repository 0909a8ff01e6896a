// The six VN_AQI bands as plain data, so the dashboard can import them without pulling in
// anything else: the range, the name, the colour and its RGB code of Bảng 1, the effect on
// health of Bảng 4 and the advice of Bảng 5 of the guideline (Quyết định 1459/QĐ-TCMT,
// 12/11/2019). The Vietnamese is the guideline's wording; the English is our translation.

export const BAND_IDS = ['good', 'moderate', 'poor', 'bad', 'very_bad', 'hazardous'] as const
export type BandId = (typeof BAND_IDS)[number]

export interface Words { vi: string; en: string }

export interface AqiBand {
  id: BandId
  /** Lowest and highest index of the band, both included (Bảng 1). */
  min: number
  max: number
  name: Words
  colour: Words
  /** The guideline's "Mã màu RGB", and the same as CSS hex. */
  rgb: readonly [number, number, number]
  hex: string
  /** Bảng 4: what the band means for health. */
  health: Words
  /** Bảng 5: advice for ordinary people and for sensitive people. */
  adviceGeneral: Words
  adviceSensitive: Words
}

const NGUY_HAI_ADVICE: Words = {
  vi: 'Mọi người nên ở trong nhà, đóng cửa ra vào và cửa sổ. Nếu cần thiết phải ra ngoài, hãy đeo khẩu trang đạt tiêu chuẩn.',
  en: 'Everyone should stay indoors with doors and windows closed. If you must go out, wear a certified mask.'
}

export const AQI_BANDS: readonly AqiBand[] = [
  {
    id: 'good',
    min: 0,
    max: 50,
    name: { vi: 'Tốt', en: 'Good' },
    colour: { vi: 'Xanh', en: 'green' },
    rgb: [0, 228, 0],
    hex: '#00e400',
    health: { vi: 'Chất lượng không khí tốt, không ảnh hưởng tới sức khỏe', en: 'Good air quality, no effect on health' },
    adviceGeneral: { vi: 'Tự do thực hiện các hoạt động ngoài trời', en: 'Outdoor activities as usual' },
    adviceSensitive: { vi: 'Tự do thực hiện các hoạt động ngoài trời', en: 'Outdoor activities as usual' }
  },
  {
    id: 'moderate',
    min: 51,
    max: 100,
    name: { vi: 'Trung bình', en: 'Moderate' },
    colour: { vi: 'Vàng', en: 'yellow' },
    rgb: [255, 255, 0],
    hex: '#ffff00',
    health: {
      vi: 'Chất lượng không khí ở mức chấp nhận được. Tuy nhiên, đối với những người nhạy cảm (người già, trẻ em, người mắc các bệnh hô hấp, tim mạch…) có thể chịu những tác động nhất định tới sức khỏe.',
      en: 'Acceptable air quality. Sensitive people (the elderly, children, people with respiratory or heart disease…) may feel some effects on their health.'
    },
    adviceGeneral: { vi: 'Tự do thực hiện các hoạt động ngoài trời', en: 'Outdoor activities as usual' },
    adviceSensitive: {
      vi: 'Nên theo dõi các triệu chứng như ho hoặc khó thở, nhưng vẫn có thể hoạt động bên ngoài.',
      en: 'Watch for symptoms such as coughing or shortness of breath, but outdoor activities are still possible.'
    }
  },
  {
    id: 'poor',
    min: 101,
    max: 150,
    name: { vi: 'Kém', en: 'Poor' },
    colour: { vi: 'Da cam', en: 'orange' },
    rgb: [255, 126, 0],
    hex: '#ff7e00',
    health: {
      vi: 'Những người nhạy cảm gặp phải các vấn đề về sức khỏe, những người bình thường ít ảnh hưởng.',
      en: 'Sensitive people have health problems; ordinary people are little affected.'
    },
    adviceGeneral: {
      vi: 'Những người thấy có triệu chứng đau mắt, ho hoặc đau họng… nên cân nhắc giảm các hoạt động ngoài trời. Đối với học sinh, có thể hoạt động bên ngoài, nhưng nên giảm bớt việc tập thể dục kéo dài.',
      en: 'People with sore eyes, a cough or a sore throat… should consider doing less outdoors. Pupils may be outside but should cut down long exercise.'
    },
    adviceSensitive: {
      vi: 'Nên giảm các hoạt động mạnh và giảm thời gian hoạt động ngoài trời. Những người mắc bệnh hen suyễn có thể cần sử dụng thuốc thường xuyên hơn.',
      en: 'Reduce strenuous activity and time spent outdoors. People with asthma may need their medicine more often.'
    }
  },
  {
    id: 'bad',
    min: 151,
    max: 200,
    name: { vi: 'Xấu', en: 'Bad' },
    colour: { vi: 'Đỏ', en: 'red' },
    rgb: [255, 0, 0],
    hex: '#ff0000',
    health: {
      vi: 'Những người bình thường bắt đầu có các ảnh hưởng tới sức khỏe, nhóm người nhạy cảm có thể gặp những vấn đề sức khỏe nghiêm trọng hơn.',
      en: 'Ordinary people begin to feel effects on their health; sensitive people may have more serious problems.'
    },
    adviceGeneral: {
      vi: 'Mọi người nên giảm các hoạt động mạnh khi ở ngoài trời, tránh tập thể dục kéo dài và nghỉ ngơi nhiều hơn trong nhà.',
      en: 'Everyone should reduce strenuous activity outdoors, avoid long exercise and rest more indoors.'
    },
    adviceSensitive: {
      vi: 'Nên ở trong nhà và giảm hoạt động mạnh. Nếu cần thiết phải ra ngoài, hãy đeo khẩu trang đạt tiêu chuẩn.',
      en: 'Stay indoors and reduce strenuous activity. If you must go out, wear a certified mask.'
    }
  },
  {
    id: 'very_bad',
    min: 201,
    max: 300,
    name: { vi: 'Rất xấu', en: 'Very bad' },
    colour: { vi: 'Tím', en: 'purple' },
    rgb: [143, 63, 151],
    hex: '#8f3f97',
    health: {
      vi: 'Cảnh báo hưởng tới sức khỏe: mọi người bị ảnh hưởng tới sức khỏe nghiêm trọng hơn.',
      en: 'Health warning: everyone is more seriously affected.'
    },
    adviceGeneral: {
      vi: 'Mọi người hạn chế tối đa các hoạt động ngoài trời và chuyển tất cả các hoạt động vào trong nhà. Nếu cần thiết phải ra ngoài, hãy đeo khẩu trang đạt tiêu chuẩn.',
      en: 'Everyone should keep outdoor activity to a minimum and move all activities indoors. If you must go out, wear a certified mask.'
    },
    adviceSensitive: { vi: 'Nên ở trong nhà và giảm hoạt động mạnh.', en: 'Stay indoors and reduce strenuous activity.' }
  },
  {
    id: 'hazardous',
    min: 301,
    max: 500,
    name: { vi: 'Nguy hại', en: 'Hazardous' },
    colour: { vi: 'Nâu', en: 'maroon' },
    rgb: [126, 0, 35],
    hex: '#7e0023',
    health: {
      vi: 'Cảnh báo khẩn cấp về sức khỏe: Toàn bộ dân số bị ảnh hưởng tới sức khỏe tới mức nghiêm trọng.',
      en: 'Health emergency: the whole population is seriously affected.'
    },
    // Bảng 5 gives one merged cell for both groups in this band.
    adviceGeneral: NGUY_HAI_ADVICE,
    adviceSensitive: NGUY_HAI_ADVICE
  }
]

const HAZARDOUS = AQI_BANDS[5]!

/** Who the guideline counts as sensitive (Bảng 4). */
export const SENSITIVE_PEOPLE: Words = {
  vi: 'người già, trẻ em, người mắc các bệnh hô hấp, tim mạch',
  en: 'the elderly, children, people with respiratory or heart disease'
}

/**
 * The band of a published (whole-number) index. The index is rounded before it is
 * published, so 150.4 is never asked; a fraction is rounded here the same way.
 */
export function bandOf (aqi: number): AqiBand {
  if (!Number.isFinite(aqi) || aqi < 0) throw new RangeError(`VN_AQI is a number from 0 up, got ${aqi}`)
  const whole = Math.round(aqi)
  return AQI_BANDS.find((b) => whole <= b.max) ?? HAZARDOUS
}
