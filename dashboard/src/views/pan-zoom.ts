// Zoom and pan of the map's SVG plan without a library or a tile server (issue #15: the map
// was tiny on a phone and could not be zoomed): the viewBox moves. Buttons, the mouse wheel,
// a drag with mouse or finger, and two fingers pinching.
import { useRef, useState } from 'preact/hooks'

export interface View { x: number; y: number; w: number; h: number }
const MIN_SHARE = 1 / 16

export function usePanZoom (width: number, height: number) {
  const whole: View = { x: 0, y: 0, w: width, h: height }
  const [view, setView] = useState<View>(whole)
  const pointers = useRef(new Map<number, { x: number; y: number }>())
  const svg = useRef<SVGSVGElement>(null)

  /** Zoom by `factor` (>1 closer) around a point given as a share of the view (0..1). */
  const zoom = (factor: number, at = { fx: 0.5, fy: 0.5 }) => setView((v) => {
    const w = Math.min(width, Math.max(width * MIN_SHARE, v.w / factor))
    const h = w * height / width
    return clamp({ x: v.x + (v.w - w) * at.fx, y: v.y + (v.h - h) * at.fy, w, h })
  })
  const clamp = (v: View): View => ({ ...v, x: Math.min(Math.max(v.x, 0), width - v.w), y: Math.min(Math.max(v.y, 0), height - v.h) })
  const share = (e: PointerEvent | WheelEvent) => {
    const r = svg.current!.getBoundingClientRect()
    return { fx: (e.clientX - r.left) / r.width, fy: (e.clientY - r.top) / r.height, r }
  }

  const handlers = {
    onWheel: (e: WheelEvent) => { e.preventDefault(); zoom(e.deltaY < 0 ? 1.25 : 0.8, share(e)) },
    // No pointer capture: it would take the click from the marker links.
    onPointerDown: (e: PointerEvent) => { pointers.current.set(e.pointerId, { x: e.clientX, y: e.clientY }) },
    onPointerUp: (e: PointerEvent) => { pointers.current.delete(e.pointerId) },
    onPointerLeave: (e: PointerEvent) => { pointers.current.delete(e.pointerId) },
    onPointerCancel: (e: PointerEvent) => { pointers.current.delete(e.pointerId) },
    onPointerMove: (e: PointerEvent) => {
      const before = pointers.current.get(e.pointerId)
      if (!before) return
      const others = [...pointers.current.entries()].filter(([id]) => id !== e.pointerId).map(([, p]) => p)
      pointers.current.set(e.pointerId, { x: e.clientX, y: e.clientY })
      const { r } = share(e)
      if (others.length === 1) {
        // Two fingers: the change of their distance zooms around the middle of them.
        const o = others[0]!
        const d0 = Math.hypot(before.x - o.x, before.y - o.y)
        const d1 = Math.hypot(e.clientX - o.x, e.clientY - o.y)
        if (d0 > 0) zoom(d1 / d0, { fx: ((e.clientX + o.x) / 2 - r.left) / r.width, fy: ((e.clientY + o.y) / 2 - r.top) / r.height })
        return
      }
      setView((v) => clamp({ ...v, x: v.x - (e.clientX - before.x) * v.w / r.width, y: v.y - (e.clientY - before.y) * v.h / r.height }))
    }
  }
  return { view, svg, handlers, zoomIn: () => zoom(1.5), zoomOut: () => zoom(1 / 1.5), reset: () => setView(whole), zoomed: view.w < width }
}
