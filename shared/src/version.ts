/** Replaced by the build (esbuild `define`) with `<package version>+<git sha>`. */
declare const __INGESTA_BUILD_VERSION__: string | undefined;

const BUILD_VERSION: string =
  typeof __INGESTA_BUILD_VERSION__ === 'string' ? __INGESTA_BUILD_VERSION__ : 'dev';

export { BUILD_VERSION };
