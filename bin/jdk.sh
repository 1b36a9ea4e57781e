# Shared by .ci/run and ./regula (sourced, not run): finding a JDK >= MIN_JAVA.
# java_major DIR  -> major version of the JDK at DIR, or 0
# find_jdk        -> the current JAVA_HOME if it is >= MIN_JAVA, else the newest JDK >= MIN_JAVA in
#                    /usr/lib/jvm or behind `java` on PATH; nothing if there is none.
: "${MIN_JAVA:=21}"

java_major() { # major version of the JDK at $1, or 0
  local v="" line
  [[ -x $1/bin/java && -x $1/bin/javac ]] || { echo 0; return; }
  # The JDK's `release` file names its version; reading it costs nothing, while starting
  # `java -version` costs 0.1-0.3 s per JDK (a second of every ./regula start with four JDKs).
  # Read in bash, without sed or head: each program started costs ./regula's every start time.
  if [[ -r $1/release ]]; then
    while IFS= read -r line; do
      if [[ $line =~ ^JAVA_VERSION=\"([^\"]*)\" ]]; then v=${BASH_REMATCH[1]}; break; fi
    done <"$1/release"
  fi
  [[ -n $v ]] || v=$("$1/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n1)
  v=${v#1.}         # 1.8.0 -> 8.0
  v=${v%%[!0-9]*}   # 25.0.3 -> 25, 21-ea -> 21
  echo "${v:-0}"
}
find_jdk() { # prints the best JAVA_HOME >= MIN_JAVA, or nothing
  local best="" best_major=0 candidate major
  if [[ -n ${JAVA_HOME-} ]] && (( $(java_major "$JAVA_HOME") >= MIN_JAVA )); then
    echo "$JAVA_HOME"; return
  fi
  local candidates=(/usr/lib/jvm/*)
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for candidate in "${candidates[@]}"; do
    [[ -d $candidate ]] || continue
    candidate=$(readlink -f "$candidate")
    major=$(java_major "$candidate")
    if (( major >= MIN_JAVA && major > best_major )); then
      best=$candidate best_major=$major
    fi
  done
  echo "$best"
}


# quiet_maven_on_new_jdks: Maven 3.9's bundled Guice calls sun.misc.Unsafe, which JDK 24+ reports
# with four WARNING lines on every run; the option silencing them does not exist before JDK 23, so
# it is added to MAVEN_OPTS (Maven's own JVM only, not the tests') only for JAVA_HOME >= 24.
quiet_maven_on_new_jdks() {
  if (( $(java_major "$JAVA_HOME") >= 24 )) && [[ ${MAVEN_OPTS-} != *sun-misc-unsafe-memory-access* ]]; then
    export MAVEN_OPTS="${MAVEN_OPTS:+$MAVEN_OPTS }--sun-misc-unsafe-memory-access=allow"
  fi
}

# huge_pages_option: prints -XX:+UseTransparentHugePages when the kernel offers transparent huge
# pages to programs that ask (mode "madvise" or "always") and JAVA_OPTS says nothing about large
# pages; nothing otherwise (mode "never", no such file: the JVM would only warn). The heap is then
# backed by 2 MiB pages: on the VMs measured, a fresh 188 MB array (Fashion-MNIST's training
# pixels as floats) took 0.55 s of page faults in 4 KiB pages and 0.03 s in 2 MiB ones.
huge_pages_option() {
  local mode=""
  [[ ${JAVA_OPTS-} == *LargePage* || ${JAVA_OPTS-} == *HugePage* ]] && return
  read -r mode 2>/dev/null </sys/kernel/mm/transparent_hugepage/enabled || true
  if [[ $mode == *"[always]"* || $mode == *"[madvise]"* ]]; then echo -XX:+UseTransparentHugePages; fi
  return 0
}
