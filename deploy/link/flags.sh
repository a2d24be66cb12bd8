# shellcheck shell=sh
# The release build's flags, one list for the Dockerfile, bench/worker_rss.sh and
# deploy/link/text-order.sh (sourced from the package root).
#   --static-swift-stdlib          the Swift runtime, stdlib and Foundation linked in
#   -use-ld=lld, pack-relative-relocs
#                                  packed relative relocations (DT_RELR, glibc >= 2.36 as in bookworm):
#                                  the loader reads 22 KB of them instead of 2.6 MB of .rela.dyn at start
#   -function-sections             each Swift function in its own section, so the link can place it
#   -T text-layout.ld              the compiler's unnamed functions together before .text (no order
#                                  file can name them)
# and per executable, when deploy/link/<executable>.order exists (deploy/link/text-order.sh writes it):
#   --symbol-ordering-file         the functions an idle worker runs, first in .text
# and with deploy/link/<executable>.ld (written alongside):
#   -T <executable>.ld             those of them the order file cannot name safely, by section
RELEASE_FLAGS="--static-swift-stdlib -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs -Xswiftc -Xfrontend -Xswiftc -function-sections -Xlinker -T -Xlinker $(pwd)/deploy/link/text-layout.ld"

# release_order_flags EXECUTABLE: the linker flags that place its ordered functions first (none without an order file).
release_order_flags() {
  if [ -f "deploy/link/$1.order" ]; then
    echo "-Xlinker --symbol-ordering-file=$(pwd)/deploy/link/$1.order -Xlinker --no-warn-symbol-ordering"
  fi
  if [ -f "deploy/link/$1.ld" ]; then
    echo "-Xlinker -T -Xlinker $(pwd)/deploy/link/$1.ld"
  fi
}

# Where the scripts build with these flags (not .build: other flags; a build dir made with other
# compile flags would not be recompiled for -function-sections alone).
RELEASE_SCRATCH=.build-image
