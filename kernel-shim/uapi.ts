// What user space sees of Linux on powerpc: errno values, poll bits, the hvpipe uapi header.
// Values from spec/hvpipe-driver.md §2 and §11.

export const Errno = {
  EPERM: 1,
  ENOENT: 2,
  EINTR: 4,
  EIO: 5,
  ENXIO: 6,
  EBADF: 9,
  EAGAIN: 11,
  ENOMEM: 12,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  ENODEV: 19,
  ENOTDIR: 20,
  EINVAL: 22,
  EMFILE: 24,
  ENOTTY: 25,
  ESPIPE: 29,
  EPIPE: 32,
  ENAMETOOLONG: 36,
  ENOSYS: 38,
  EOPNOTSUPP: 95,
  EALREADY: 114,
} as const;
export type ErrnoName = keyof typeof Errno;

/** Kernel-internal: an ioctl handler's "not mine"; the VFS hands ENOTTY to user space. */
export const ENOIOCTLCMD = 515;

export function errnoName(value: number): ErrnoName | undefined {
  for (const [name, v] of Object.entries(Errno)) if (v === value) return name as ErrnoName;
  return undefined;
}

// <asm-generic/poll.h> and <uapi/linux/eventpoll.h> bit values (powerpc uses the generic ones).
export const Poll = {
  POLLIN: 0x0001,
  POLLPRI: 0x0002,
  POLLOUT: 0x0004,
  POLLERR: 0x0008,
  POLLHUP: 0x0010,
  POLLNVAL: 0x0020,
  POLLRDNORM: 0x0040,
  POLLRDBAND: 0x0080,
  POLLWRNORM: 0x0100,
  POLLWRBAND: 0x0200,
  POLLMSG: 0x0400,
  POLLRDHUP: 0x2000,
} as const;
export type PollName = keyof typeof Poll;

export function pollNames(mask: number): PollName[] {
  return (Object.keys(Poll) as PollName[]).filter((n) => (mask & Poll[n]) !== 0);
}

/** struct papr_hvpipe_hdr: u8 version; u8 reserved[3]; u32 flags (native = LE on ppc64le); u8 reserved2[40]. */
export const HVPIPE_HDR_LEN = 48;
export const HVPIPE_MAX_WRITE_BUFFER_SIZE = 4048;
export const HVPIPE_MSG_AVAILABLE = 0x01;
export const HVPIPE_LOST_CONNECTION = 0x02;
export const HVPIPE_HMC_ID_MASK = 0x02000000;

export const HvpipeFlag = {
  HVPIPE_MSG_AVAILABLE,
  HVPIPE_LOST_CONNECTION,
} as const;
export type HvpipeFlagName = keyof typeof HvpipeFlag;

/** _IOW(0xb2, 9, __u32) with powerpc's ioctl bit layout (dir 3 bits at 29, size 13 bits at 16). */
export const PAPR_HVPIPE_IOC_CREATE_HANDLE = 0x8004b209;

export const IoctlCmd = {
  PAPR_HVPIPE_IOC_CREATE_HANDLE,
} as const;

/** The open(2) flags a scenario may name (octal values as on powerpc, which keeps the generic ones). */
export const O_RDONLY = 0;
export const O_WRONLY = 1;
export const O_RDWR = 2;
export const O_ACCMODE = 3;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_NOCTTY = 0o400;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const O_NONBLOCK = 0o4000;
/** powerpc's value (x86-64 has 0o100000). */
export const O_LARGEFILE = 0o200000;
export const O_CLOEXEC = 0o2000000;
export const AT_FDCWD = -100;

// <asm-generic/fcntl.h>
export const F_DUPFD = 0;
export const F_GETFD = 1;
export const F_SETFD = 2;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const F_DUPFD_CLOEXEC = 1030;
export const FD_CLOEXEC = 1;

// The VFS's own ioctls, powerpc encoding (_IO has direction 1 there): <asm/ioctls.h>.
export const FIOCLEX = 0x20006601;
export const FIONCLEX = 0x20006602;
export const FIOASYNC = 0x8004667d;
export const FIONBIO = 0x8004667e;

export const SEEK_SET = 0;
export const SEEK_MAX = 4;

/** PATH_MAX: a path name, its NUL included, is at most this long. */
export const PATH_MAX = 4096;

// struct stat st_mode bits.
export const S_IFCHR = 0o020000;
