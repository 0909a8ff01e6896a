// A table that renders only the rows in view, so 10,000 devices scroll as smoothly as 10.
// Rows have one fixed height; the page scrolls inside the table body. Hand-written: it is
// forty lines, and the list libraries for Preact need the React compatibility layer.
import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'

export interface Column<T> {
  key: string
  title: string
  width: string
  cell: (row: T) => ComponentChildren
}

const OVERSCAN = 8

export function VirtualTable<T> ({ rows, columns, rowKey, rowHeight = 44, height = '65vh', label }: {
  rows: readonly T[]; columns: ReadonlyArray<Column<T>>; rowKey: (row: T) => string; rowHeight?: number; height?: string; label: string
}) {
  const body = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [viewport, setViewport] = useState(600)
  useEffect(() => {
    const el = body.current
    if (!el) return
    const resize = new ResizeObserver(() => setViewport(el.clientHeight))
    resize.observe(el)
    return () => resize.disconnect()
  }, [])
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN)
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewport) / rowHeight) + OVERSCAN)
  const template = columns.map((c) => c.width).join(' ')
  return (
    <div class='vtable' role='table' aria-label={label} aria-rowcount={rows.length + 1}>
      <div class='vrow vhead' role='row' style={{ gridTemplateColumns: template }}>
        {columns.map((c) => <div key={c.key} role='columnheader'>{c.title}</div>)}
      </div>
      <div class='vbody' ref={body} style={{ maxHeight: height }} onScroll={(e) => setScrollTop((e.currentTarget).scrollTop)}>
        <div style={{ height: `${rows.length * rowHeight}px`, position: 'relative' }}>
          {rows.slice(first, last).map((row, i) => (
            <div
              key={rowKey(row)}
              class='vrow'
              role='row'
              aria-rowindex={first + i + 2}
              style={{ gridTemplateColumns: template, position: 'absolute', top: `${(first + i) * rowHeight}px`, height: `${rowHeight}px`, left: 0, right: 0 }}>
              {columns.map((c) => <div key={c.key} role='cell'>{c.cell(row)}</div>)}
            </div>
          ))}
        </div>
      </div>
    </div>
  )
}
