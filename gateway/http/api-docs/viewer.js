/* global document, fetch */
// Shows /api/openapi.json as a list of routes, grouped by area, each with its permission,
// parameters and the JSON Schemas of what it takes and answers. No framework, no CDN: the
// box is often offline. Text only through textContent: nothing in the document becomes HTML.
const el = (tag, props = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props)
  for (const child of children) node.append(child)
  return node
}
const json = (value) => el('pre', { textContent: JSON.stringify(value, null, 2) })

/** A schema with its $refs replaced by what they name, once each (a loop stays a $ref). */
function resolve (schema, components, seen = new Set()) {
  if (Array.isArray(schema)) return schema.map((s) => resolve(s, components, seen))
  if (!schema || typeof schema !== 'object') return schema
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').pop()
    if (seen.has(name) || !components[name]) return schema
    return resolve(components[name], components, new Set([...seen, name]))
  }
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, resolve(v, components, seen)]))
}

function operation (path, method, op, components) {
  const head = el('summary', {},
    el('span', { className: `m ${method}`, textContent: method.toUpperCase() }), el('code', { textContent: path }),
    ` · ${op.summary}`, el('span', { className: 'tag', textContent: op['x-permission'] }),
    ...(op['x-stable'] ? [el('span', { className: 'stable', textContent: 'ổn định / stable' })] : []))
  const body = [el('p', { textContent: op.description ?? '' })]
  if (op.parameters?.length) {
    body.push(el('h4', { textContent: 'Tham số / parameters' }))
    body.push(el('ul', {}, ...op.parameters.map((p) => el('li', {}, el('code', { textContent: p.name }), ` (${p.in}${p.required ? ', bắt buộc / required' : ''}) `, el('code', { textContent: JSON.stringify(p.schema) })))))
  }
  for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
    body.push(el('h4', { textContent: `Nội dung gửi / request body: ${type}` }), json(resolve(media.schema, components)))
  }
  for (const [status, answer] of Object.entries(op.responses ?? {})) {
    if (status === 'default') continue
    body.push(el('h4', { textContent: `${status}: ${answer.description}` }))
    for (const [type, media] of Object.entries(answer.content ?? {})) body.push(el('p', { textContent: type }), json(resolve(media.schema, components)))
  }
  const node = el('details', {}, head, ...body)
  node.dataset.text = `${method} ${path} ${op.summary} ${op['x-permission']}`.toLowerCase()
  node.dataset.stable = op['x-stable'] ? '1' : ''
  return node
}

async function show () {
  const root = document.getElementById('api')
  const spec = await (await fetch('/api/openapi.json')).json()
  document.getElementById('title').textContent = `${spec.info.title} · ${spec.info.version}`
  const components = spec.components?.schemas ?? {}
  const byTag = new Map()
  for (const [path, methods] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? '-'
      if (!byTag.has(tag)) byTag.set(tag, [])
      byTag.get(tag).push(operation(path, method, op, components))
    }
  }
  root.replaceChildren(...[...byTag].flatMap(([tag, ops]) => [el('h2', { textContent: tag }), ...ops]))
  const filter = document.getElementById('filter')
  const stable = document.getElementById('stable')
  const apply = () => {
    const words = filter.value.toLowerCase().trim()
    for (const node of root.querySelectorAll('details')) node.hidden = (words && !node.dataset.text.includes(words)) || (stable.checked && !node.dataset.stable)
  }
  filter.addEventListener('input', apply)
  stable.addEventListener('change', apply)
}

show().catch((err) => { document.getElementById('api').textContent = `Không tải được / could not load: ${err.message}` })
