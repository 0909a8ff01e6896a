// The province's web service on a port: its API and views over the province's stores.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Province } from '../service.js'
import { provinceWebApp } from './app.js'
import { pushBasinMap } from '../bulletins/flood.js'

export interface ProvinceWeb { port: number; close (): Promise<void> }

export async function startProvinceWeb (province: Pick<Province, 'pool' | 'influx'> & Partial<Pick<Province, 'bulletins' | 'nc' | 'pictures'>>, host: string, port: number): Promise<ProvinceWeb> {
  const nc = province.nc
  const pushBasin = nc ? () => pushBasinMap(province.pool, nc.jetstream(), Date.now()) : undefined
  const server = createServer(provinceWebApp({ pool: province.pool, influx: province.influx, bulletins: province.bulletins, pictures: province.pictures, pushBasin }))
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, host, resolve) })
  return {
    port: (server.address() as AddressInfo).port,
    async close () {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}
