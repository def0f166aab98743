// SPDX-License-Identifier: Apache-2.0
// netns-bench: the operations each file defines, for the table in main.cpp,
// and the peers and the scale setup they share.
#pragma once

#include <netns/netns.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <sys/types.h>
#include <vector>

namespace bench {

// Handles and lookups (ops-handle.cpp).
void lib_get();
void raw_get();
void lib_equal();
void raw_equal();
void lib_from_name();
void raw_from_name();
void lib_from_path();
void raw_open_type();
void hand_open_fstat();
void hand_stat_open();
void raw_from_path_careful();
void lib_from_pid();
void raw_from_pid();

// Switching the calling thread (ops-switching.cpp).
void lib_set();
void raw_set();
void lib_new_named();
void raw_new_named();
void lib_new();
void raw_new();

// Creating, naming and deleting (ops-naming.cpp).
void lib_create();
void raw_create();
void raw_create_on_thread();
void lib_create_named();

// Running inside a namespace (ops-inside.cpp).
extern char true_path[];
extern char *const true_argv[];
void lib_run();
void raw_run();
void lib_run_isolated();
void raw_run_isolated();
void lib_socket();
void raw_socket();
void raw_socket_checked();
void lib_spawn();
void raw_spawn();
void lib_spawn_named();
void raw_spawn_named();

// Listing and identifying, at scale (ops-listing.cpp).
struct Scale {
    long want = 2000;   // namespaces, and processes (one in each)
    long small = 20;    // the smaller sizes for the memory measure
    long mid = 1000;    // (want / 2)
    bool tried = false; // setup done (or failed)
    std::string skip;   // why the scale operations cannot run
    std::vector<std::string> names;
    std::vector<pid_t> children;
    dev_t nsfs_dev = 0;    // st_dev of every namespace file
    pid_t id_pid = 0;      // the process netns_identify looks at
    std::string pids_name; // the name netns_pids looks into
    std::string pid_arg;   // id_pid as text, for ip
    bool ip_sees = false;  // /run/netns shows the scale names too
    double setup_wall = 0, setup_cpu = 0, teardown_wall = 0;
    long procs = 0; // processes in /proc when measured
    uint64_t t_start = 0;
};

extern Scale scale;
bool scale_ready(std::string &why);
bool scale_ip_ready(std::string &why);
void scale_teardown();
// The walks' callbacks: count, never stop.
extern netns_name_cb volatile name_cb;
extern netns_pid_cb volatile pid_cb;
bool dot_or_dotdot(const char *n);
long raw_list_count();
void lib_list();
void raw_list();
void ip_list();
bool check_list(std::string &why);
void lib_identify();
void raw_identify();
void ip_identify();
bool check_identify(std::string &why);
void lib_pids();
void raw_pids();
void ip_pids();
bool check_pids(std::string &why);

// Memory at scale (memory.cpp): measured while the scale namespaces are
// made (at the small, the middle and the full size: which 0, 1, 2),
// printed after the timed rows.
void measure_memory(int which);
void share_memory_sizes();
void print_memory();
void print_memory_lines();

// The Go peer (peer-go.cpp): CNI's ns.Do, one round at a time.
struct GoPeer {
    std::string path;   // the program, "" when not built
    std::string reason; // why there is no Go row, when there is none
    pid_t pid = -1;
    FILE *to = nullptr, *from = nullptr;

    bool start();
    // ns per call of n ns.Do calls, or NaN (and reason) if the peer failed.
    double round(long n);
    void stop();
};

extern GoPeer go_peer;

// The netns tool against ip netns (peer-tool.cpp).
struct Tool {
    std::string path;                   // the tool, "" when not known
    std::string reason;                 // why the tool rows cannot run
    bool other = false;                 // --tool: another build, which finds its own library
    std::vector<std::string> env_store; // our environment minus NETNS_RUN_DIR
    std::vector<char *> envp;
    std::string churn = "bench-tool-churn"; // made and deleted by add + del
    std::string readlink;                   // for the checks
};

extern Tool tool;
// Its environment and the readlink of the checks (at the end of setup()).
void setup_tool();
bool tool_ready(std::string &why);
bool scale_tool_ready(std::string &why);
void tool_exec();
void ip_exec();
bool check_tool_exec(std::string &why);
void tool_add_del();
void ip_add_del();
bool check_tool_add_del(std::string &why);
void tool_list();
bool check_tool_list(std::string &why);

} // namespace bench
