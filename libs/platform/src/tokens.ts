export const APP_CONFIG = Symbol('APP_CONFIG');
export const BUS_TRANSPORT = Symbol('BUS_TRANSPORT');
export const BUS_CLIENT_PROXY = Symbol('BUS_CLIENT_PROXY');
export const SERVICE_NAME = Symbol('SERVICE_NAME');
